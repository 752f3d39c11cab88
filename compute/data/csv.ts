import { cellLocation, describeCell } from './cell-location';
import { encodeClassLabels } from './class-labels';
import { csvLines, type CsvLimits, type CsvLine } from './csv-lines';
import type { ClassificationDataset, Dataset, RegressionDataset } from './dataset';
import { DatasetError } from './dataset-error';
import { parseNumericCell } from './numeric-cell';

export interface CsvOptions {
  /** Label column: a header name, or a 0-based index where negative counts from the end. Default -1 (last column). */
  readonly label?: string | number;
  /** Whether the first row is a header. 'auto' (default) treats it as one when a column is text there but a number below. */
  readonly header?: boolean | 'auto';
  /** Default 'classification': labels become class indices. 'regression' keeps them as numbers. */
  readonly task?: 'classification' | 'regression';
  /** For classification: the labels must already be indices below this. */
  readonly numClasses?: number;
  /** Default ','. */
  readonly delimiter?: string;
  /** Width and cell-count caps, checked before any cell is split (CSV_TOO_MANY_COLUMNS, CSV_TOO_MANY_CELLS). Default: none. */
  readonly limits?: CsvLimits;
}

export type { CsvLimits };

/**
 * Parses a CSV of numeric features and one label column into a Dataset. Takes text, not a path:
 * reading files is the caller's business, so this runs in a tab, a worker or Node alike.
 * Throws DatasetError with the file row and column of the first malformed cell.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const delimiter = options.delimiter ?? ',';
  if (delimiter === '') throw new DatasetError('INVALID_OPTION', 'delimiter must not be empty');
  const lines = csvLines(text, delimiter, options.limits);
  const first = lines[0];
  if (!first) throw new DatasetError('EMPTY_FILE', 'The file is empty');

  const hasHeader = options.header === 'auto' || options.header === undefined ? looksLikeHeader(lines) : options.header;
  const data = hasHeader ? lines.slice(1) : lines;
  const firstData = data[0];
  if (!firstData) throw new DatasetError('EMPTY_FILE', 'The file has a header row but no data rows', { row: first.row });

  const sklearn = hasHeader ? readScikitHeader(first, data.length, firstData.cells.length) : undefined;
  const columnNames = hasHeader && !sklearn ? first.cells : undefined;
  // The shape every row must have: the header's, or the first data row's when there is no name header.
  const reference = columnNames ? first : firstData;
  const width = reference.cells.length;
  if (width < 2) {
    throw new DatasetError('LABEL_COLUMN_NOT_FOUND', `Row ${reference.row} has ${width} column; a dataset needs at least one feature column and a label column`, {
      row: reference.row,
    });
  }
  const labelColumn = resolveLabelColumn(options.label ?? -1, width, columnNames, first.row);

  const numFeatures = width - 1;
  const features = new Float32Array(data.length * numFeatures);
  const labelCells: string[] = new Array<string>(data.length);
  const rows: number[] = new Array<number>(data.length);
  for (let r = 0; r < data.length; r++) {
    const { row, cells } = data[r]!;
    if (cells.length !== width) {
      const location = { row, column: Math.min(cells.length, width) + 1 };
      throw new DatasetError('RAGGED_ROW', `Row ${row} has ${cells.length} columns, but row ${reference.row} has ${width}`, location);
    }
    let offset = r * numFeatures;
    for (let c = 0; c < width; c++) {
      if (c === labelColumn) continue;
      const cell = cells[c]!;
      const value = parseNumericCell(cell);
      if (value === undefined) {
        const location = cellLocation(row, c, columnNames);
        throw new DatasetError('NON_NUMERIC_CELL', `${describeCell(location)}: ${cell === '' ? 'the cell is empty' : `'${cell}' is not a number`}`, location);
      }
      features[offset++] = value;
    }
    labelCells[r] = cells[labelColumn]!;
    rows[r] = row;
  }

  const featureNames = columnNames?.filter((_, c) => c !== labelColumn);
  const base = { size: data.length, featureShape: [numFeatures], features, ...(featureNames ? { featureNames } : {}) };
  const column = { cells: labelCells, rows, columnIndex: labelColumn, columnNames };

  if (options.task === 'regression') {
    const labels = new Float32Array(data.length);
    for (let r = 0; r < data.length; r++) {
      const cell = labelCells[r]!;
      const value = parseNumericCell(cell);
      if (value === undefined) {
        const location = cellLocation(rows[r]!, labelColumn, columnNames);
        throw new DatasetError('NON_NUMERIC_CELL', `${describeCell(location)}: ${cell === '' ? 'the target is empty' : `target '${cell}' is not a number`}`, location);
      }
      labels[r] = value;
    }
    const dataset: RegressionDataset = { ...base, task: 'regression', labels, labelShape: [1] };
    return dataset;
  }

  if (options.numClasses !== undefined && !(Number.isInteger(options.numClasses) && options.numClasses >= 1)) {
    throw new DatasetError('INVALID_OPTION', `numClasses must be a whole number of at least 1 (got ${options.numClasses})`);
  }
  const known = {
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
    ...(sklearn?.classNames.length ? { classNames: sklearn.classNames } : {}),
  };
  const classes = encodeClassLabels(column, known);
  const dataset: ClassificationDataset = { ...base, task: 'classification', ...classes };
  return dataset;
}

/**
 * A header is a row with text in a column whose next row holds a number, or a scikit-learn count
 * header. Empty cells are missing values, not names.
 */
function looksLikeHeader(lines: readonly CsvLine[]): boolean {
  const [first, second] = lines;
  if (!first) return false;
  const isText = (cell: string) => cell !== '' && parseNumericCell(cell) === undefined;
  if (!second) return first.cells.some(isText);
  if (readScikitHeader(first, lines.length - 1, second.cells.length)) return true;
  return first.cells.some((cell, c) => isText(cell) && parseNumericCell(second.cells[c] ?? '') !== undefined);
}

/**
 * scikit-learn's bundled CSVs start with "rows,features,class names...", e.g.
 * `150,4,setosa,versicolor,virginica`. Recognised only when the counts match the file exactly and
 * it names at least two classes (or none), so a numeric first row rarely passes for one by chance.
 */
function readScikitHeader(header: CsvLine, dataRows: number, dataWidth: number): { classNames: string[] } | undefined {
  const [rows, features, ...classNames] = header.cells;
  if (rows === undefined || features === undefined || classNames.length === 1) return undefined;
  if (parseNumericCell(rows) !== dataRows || parseNumericCell(features) !== dataWidth - 1) return undefined;
  return { classNames };
}

function resolveLabelColumn(label: string | number, width: number, names: readonly string[] | undefined, headerRow: number): number {
  if (typeof label === 'number') {
    const index = label < 0 ? width + label : label;
    if (!Number.isInteger(label) || index < 0 || index >= width) {
      throw new DatasetError('LABEL_COLUMN_NOT_FOUND', `Label column ${label} does not exist; the file has ${width} columns (use 0 to ${width - 1}, or -1 for the last)`);
    }
    return index;
  }
  if (!names) throw new DatasetError('LABEL_COLUMN_NOT_FOUND', `Label column '${label}' cannot be found by name because the file has no header row of column names`);
  const index = names.indexOf(label);
  if (index < 0) {
    throw new DatasetError('LABEL_COLUMN_NOT_FOUND', `Label column '${label}' is not in the header (columns: ${names.join(', ')})`, { row: headerRow });
  }
  return index;
}
