import { DatasetError, featureSize, parseCsv } from '../../compute/data';
import { csvLines } from '../../compute/data/csv-lines';
import { rejectionFrom, DatasetRejected } from './dataset-rejected';
import { numberedColumns, tableView, type TableView } from './table-view';

export interface InspectedDataset extends TableView {
  rows: number;
  featureShape: number[];
}

/**
 * Parses an uploaded CSV exactly as training will (compute/data's parseCsv), so a file that is
 * accepted here is one the trainer can read. Malformed files are refused with their row and column.
 */
export function inspectCsv(bytes: Uint8Array, labelColumn?: number): InspectedDataset {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetRejected('NOT_TEXT', 'This file is not UTF-8 text. Upload a CSV of numbers, or an IDX file.');
  }
  try {
    const dataset = parseCsv(text, { label: labelColumn ?? -1 });
    const width = featureSize(dataset) + 1;
    const label = labelColumn ?? width - 1;
    return { rows: dataset.size, featureShape: [...dataset.featureShape], ...tableView(dataset, label, columnNamesOf(text, dataset.featureNames, width)) };
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error, labelColumn === undefined ? 'file' : 'labelColumn');
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
