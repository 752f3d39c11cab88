import { DatasetError, parseCsvTable, type CsvLimits } from '../../compute/data';
import type { DatasetReading } from '../db/collections';
import { csvTableView } from './csv-table-view';
import { rejectionFrom, DatasetRejected } from './dataset-rejected';
import { MAX_CATEGORIES, MAX_COLUMNS, MAX_CSV_CELLS, PREVIEW_ROWS } from './limits';
import { csvReadOptions, DEFAULT_READING } from './reading';
import { checkStoredNames } from './stored-names';
import type { TableView } from './table-view';

export interface InspectedDataset extends TableView {
  rows: number;
  featureShape: number[];
  /** CSV only: rows left out for missing values ('drop-rows'). */
  droppedRows?: number;
}

const CSV_LIMITS: CsvLimits & { maxCategories: number } = { maxColumns: MAX_COLUMNS, maxCells: MAX_CSV_CELLS, maxCategories: MAX_CATEGORIES };

/**
 * Parses an uploaded CSV exactly as training will (compute/data's parseCsv, with the dataset's
 * reading settings), so a file that is accepted here is one the trainer can read. Malformed files
 * are refused with their row and column. Call it through inspectOffThread: even within the caps a
 * parse takes memory and time.
 */
export function inspectCsv(bytes: Uint8Array, labelColumn?: number, reading: DatasetReading = DEFAULT_READING, field?: string): InspectedDataset {
  const errorField = field ?? (labelColumn === undefined ? 'file' : 'labelColumn');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DatasetRejected('NOT_TEXT', 'This file is not UTF-8 text. Upload a CSV of numbers, or an IDX file.');
  }
  try {
    const table = parseCsvTable(text, { label: labelColumn ?? -1, limits: CSV_LIMITS, ...csvReadOptions(reading) }, PREVIEW_ROWS);
    const view = csvTableView(table);
    checkStoredNames(view.columnNames, view.classNames, table.labelColumn, errorField);
    return { rows: table.dataset.size, featureShape: [...table.dataset.featureShape], droppedRows: table.droppedRows, ...view };
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error, errorField);
    throw error;
  }
}
