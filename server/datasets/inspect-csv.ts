import { DatasetError, featureSize, parseCsv, type CsvLimits } from '../../compute/data';
import { csvLines } from '../../compute/data/csv-lines';
import { rejectionFrom, DatasetRejected } from './dataset-rejected';
import { MAX_COLUMNS, MAX_CSV_CELLS } from './limits';
import { checkStoredNames } from './stored-names';
import { numberedColumns, tableView, type TableView } from './table-view';

export interface InspectedDataset extends TableView {
  rows: number;
  featureShape: number[];
}

const CSV_LIMITS: CsvLimits = { maxColumns: MAX_COLUMNS, maxCells: MAX_CSV_CELLS };

/**
 * Parses an uploaded CSV exactly as training will (compute/data's parseCsv), so a file that is
 * accepted here is one the trainer can read. Malformed files are refused with their row and column.
 * Call it through inspectOffThread: even within the caps a parse takes memory and time.
 */
export function inspectCsv(bytes: Uint8Array, labelColumn?: number): InspectedDataset {
  const field = labelColumn === undefined ? 'file' : 'labelColumn';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetRejected('NOT_TEXT', 'This file is not UTF-8 text. Upload a CSV of numbers, or an IDX file.');
  }
  try {
    const dataset = parseCsv(text, { label: labelColumn ?? -1, limits: CSV_LIMITS });
    const width = featureSize(dataset) + 1;
    const label = labelColumn ?? width - 1;
    const columnNames = columnNamesOf(text, dataset.featureNames, width);
    checkStoredNames(columnNames, dataset.task === 'classification' ? dataset.classNames : [], label, field);
    return { rows: dataset.size, featureShape: [...dataset.featureShape], ...tableView(dataset, label, columnNames) };
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error, field);
    throw error;
  }
}

/** The header's names when the file has a header of names (the parser then reports feature names). */
function columnNamesOf(text: string, featureNames: readonly string[] | undefined, width: number): string[] {
  if (!featureNames) return numberedColumns('column', width);
  // Only the first few lines are split: the header is the first non-blank one.
  const header = csvLines(text.split(/\r\n|\n|\r/, 32).join('\n'), ',')[0]?.cells ?? [];
  return Array.from({ length: width }, (_, c) => header[c] || `column ${c + 1}`);
}
