import { encodedWidth, sortedCategories, type CategoricalEncoding, type ColumnType, type ColumnTypeChoice } from './categories';
import { cellLocation, describeCell } from './cell-location';
import { encodeClassLabels } from './class-labels';
import { detectHeader, type CsvHeader, type HeaderChoice } from './csv-header';
import { csvLines, type CsvLimits, type CsvLine } from './csv-lines';
import type { ClassificationDataset, Dataset, RegressionDataset } from './dataset';
import { DatasetError } from './dataset-error';
import { inputColumnsOf, MAX_INPUT_TEXT, type InputColumn } from './input-columns';
import { isMissingCell, type MissingPolicy } from './missing-values';
import { parseNumericCell } from './numeric-cell';

export interface CsvOptions {
  /** Label column: a header name, or a 0-based index where negative counts from the end. Default -1 (last column). */
  readonly label?: string | number;
  /** Whether the first row is a header. 'auto' (default) treats it as one when a column is text there but a number below, or when it is scikit-learn's count line. */
  readonly header?: boolean | HeaderChoice;
  /** Default 'classification': labels become class indices. 'regression' keeps them as numbers. */
  readonly task?: 'classification' | 'regression';
  /** For classification: the labels must already be indices below this. */
  readonly numClasses?: number;
  /** Default ','. */
  readonly delimiter?: string;
  /** Width, cell-count and category caps (CSV_TOO_MANY_COLUMNS, CSV_TOO_MANY_CELLS, CSV_TOO_MANY_CATEGORIES). Default: none. */
  readonly limits?: CsvLimits & { readonly maxCategories?: number };
  /** Per file column (label included, where it is ignored): 'auto' (default) detects it (categorical when most cells are not numbers). */
  readonly columnTypes?: readonly ColumnTypeChoice[];
  /** How categorical feature columns become numbers. Default 'one-hot'. */
  readonly categoricalEncoding?: CategoricalEncoding;
  /** Missing cells (empty, NA, NaN, …): default 'refuse'. 'mean' leaves NaN for fillMissingWithTrainMean. */
  readonly missing?: MissingPolicy;
}

export type { CsvLimits };

export interface CsvColumn {
  /** The header's name, or "column N" (1-based) when there is none. */
  readonly name: string;
  /** 'categorical' when most non-missing cells are not numbers. */
  readonly detected: ColumnType;
  /** What the column is read as: the user's choice, else the detected type. */
  readonly type: ColumnType;
  /** Categorical columns: the categories in encoding order; '' is "missing" under the 'mean' policy. */
  readonly categories: readonly string[];
  /** Missing cells in the file, dropped rows included. */
  readonly missing: number;
}

/** A parsed CSV together with what a table of it shows. */
export interface CsvTable {
  readonly dataset: Dataset;
  readonly header: CsvHeader['kind'];
  /** Every file column in file order, the label among them. */
  readonly columns: readonly CsvColumn[];
  readonly labelColumn: number;
  /** The first kept rows' cells as the file wrote them (trimmed, unquoted): previews show these, not float32 values. */
  readonly firstRows: readonly (readonly string[])[];
  /** Rows left out under the 'drop-rows' policy. */
  readonly droppedRows: number;
  /** How the categorical columns were encoded (so a caller can find each column's features). */
  readonly categoricalEncoding: CategoricalEncoding;
  /** The feature columns (label left out) and their encoding: what turns a raw row into the features, for Predict and exports. */
  readonly inputColumns: readonly InputColumn[];
}

/**
 * Parses a CSV of features and one label column into a Dataset. Takes text, not a path:
 * reading files is the caller's business, so this runs in a tab, a worker or Node alike.
 * Throws DatasetError with the file row and column of the first malformed cell.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  return parseCsvTable(text, options).dataset;
}

/** parseCsv, also returning the columns' types, categories and missing counts, and the first `keepRows` rows as written. */
export function parseCsvTable(text: string, options: CsvOptions = {}, keepRows = 0): CsvTable {
  const delimiter = options.delimiter ?? ',';
  if (delimiter === '') throw new DatasetError('INVALID_OPTION', 'delimiter must not be empty');
  const policy = options.missing ?? 'refuse';
  const encoding = options.categoricalEncoding ?? 'one-hot';
  const lines = csvLines(text, delimiter, options.limits);
  const first = lines[0];
  if (!first) throw new DatasetError('EMPTY_FILE', 'The file is empty');

  const header = detectHeader(lines, options.header ?? 'auto');
  const data = header.kind === 'none' ? lines : lines.slice(1);
  const firstData = data[0];
  if (!firstData) throw new DatasetError('EMPTY_FILE', 'The file has a header row but no data rows', { row: first.row });

  const headerNames = header.kind === 'names' ? header.names : undefined;
  // The shape every row must have: the header's, or the first data row's when there is no name header.
  const reference = headerNames ? first : firstData;
  const width = reference.cells.length;
  if (width < 2) {
    throw new DatasetError('LABEL_COLUMN_NOT_FOUND', `Row ${reference.row} has ${width} column; a dataset needs at least one feature column and a label column`, {
      row: reference.row,
    });
  }
  const labelColumn = resolveLabelColumn(options.label ?? -1, width, headerNames, first.row);
  const choices = options.columnTypes ?? [];
  if (choices.length > width) throw new DatasetError('INVALID_OPTION', `${choices.length} column types were given, but the file has ${width} columns`);

  // Pass 1: shape, missing cells and each column's detected type.
  const missing = new Array<number>(width).fill(0);
  const textCells = new Array<number>(width).fill(0);
  const kept: CsvLine[] = [];
  for (const line of data) {
    const { row, cells } = line;
    if (cells.length !== width) {
      const location = { row, column: Math.min(cells.length, width) + 1 };
      throw new DatasetError('RAGGED_ROW', `Row ${row} has ${cells.length} columns, but row ${reference.row} has ${width}`, location);
    }
    let complete = true;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      if (isMissingCell(cell)) {
        missing[c]!++;
        complete = false;
        if (policy === 'refuse' || (policy === 'mean' && c === labelColumn)) throw missingError(row, c, cell, c === labelColumn, policy, headerNames);
      } else if (parseNumericCell(cell) === undefined) textCells[c]!++;
    }
    if (complete || policy !== 'drop-rows') kept.push(line);
  }
  if (kept.length === 0) {
    throw new DatasetError('MISSING_VALUE', `Every one of the ${data.length} rows has a missing value, so dropping them leaves no data`);
  }

  // Pass 2: categories, then the encoded features.
  const columns = Array.from({ length: width }, (_, c): CsvColumn => {
    // Mostly text is categorical; mostly numbers is numeric, and its text cells are typos to report.
    const found: ColumnType = textCells[c]! * 2 > data.length - missing[c]! ? 'categorical' : 'numeric';
    const choice = choices[c] ?? 'auto';
    const type = c === labelColumn || choice === 'auto' ? found : choice;
    const categories = type === 'categorical' && c !== labelColumn ? collectCategories(kept, c, headerNames, options.limits?.maxCategories) : [];
    return { name: headerNames?.[c] || `column ${c + 1}`, detected: found, type, categories, missing: missing[c]! };
  });
  const featureColumns = columns.map((_, c) => c).filter((c) => c !== labelColumn);
  const numFeatures = featureColumns.reduce((sum, c) => sum + encodedWidth(columns[c]!.type, columns[c]!.categories.length, encoding), 0);
  const maxColumns = options.limits?.maxColumns;
  if (maxColumns !== undefined && numFeatures + 1 > maxColumns) {
    throw new DatasetError('CSV_TOO_MANY_COLUMNS', `Encoding the categorical columns one-hot makes ${numFeatures} features; a dataset can have at most ${maxColumns - 1} (choose index encoding)`);
  }
  // The cell cap bounds the encoded values too: one-hot can turn a narrow file into a huge array.
  const maxCells = options.limits?.maxCells;
  if (maxCells !== undefined && kept.length * (numFeatures + 1) > maxCells) {
    throw new DatasetError(
      'CSV_TOO_MANY_CELLS',
      `Encoding the categorical columns one-hot makes ${kept.length.toLocaleString('en-US')} rows of ${numFeatures} features; a dataset can have at most ${maxCells.toLocaleString('en-US')} values (choose index encoding)`,
    );
  }
  const indexOf = columns.map((column) => new Map(column.categories.map((name, i) => [name, i])));

  const features = new Float32Array(kept.length * numFeatures);
  const labelCells: string[] = new Array<string>(kept.length);
  const rows: number[] = new Array<number>(kept.length);
  for (let r = 0; r < kept.length; r++) {
    const { row, cells } = kept[r]!;
    let offset = r * numFeatures;
    for (const c of featureColumns) {
      const cell = cells[c]!;
      const column = columns[c]!;
      if (column.type === 'categorical') {
        // Under 'mean' a missing category is the category '' (a category has no mean).
        const index = indexOf[c]!.get(isMissingCell(cell) ? '' : cell)!;
        if (encoding === 'index') features[offset++] = index;
        else {
          features[offset + index] = 1;
          offset += column.categories.length;
        }
        continue;
      }
      const value = parseNumericCell(cell);
      if (value !== undefined) features[offset++] = value;
      else if (isMissingCell(cell)) features[offset++] = NaN;
      else {
        const location = cellLocation(row, c, headerNames);
        throw new DatasetError('NON_NUMERIC_CELL', `${describeCell(location)}: '${cell}' is not a number`, location);
      }
    }
    labelCells[r] = cells[labelColumn]!;
    rows[r] = row;
  }

  const featureNames = headerNames || columns.some((column) => column.type === 'categorical') ? encodedNames(columns, featureColumns, encoding) : undefined;
  const base = { size: kept.length, featureShape: [numFeatures], features, ...(featureNames ? { featureNames } : {}) };
  const dataset = options.task === 'regression' ? regression(base, labelCells, rows, labelColumn, headerNames) : classification(base, labelCells, rows, labelColumn, headerNames, options, header);
  return {
    dataset,
    header: header.kind,
    columns,
    labelColumn,
    firstRows: kept.slice(0, keepRows).map((line) => line.cells),
    droppedRows: data.length - kept.length,
    categoricalEncoding: encoding,
    inputColumns: inputColumnsOf(columns, labelColumn, encoding),
  };
}

type Base = Pick<Dataset, 'size' | 'featureShape' | 'features' | 'featureNames'>;

function regression(base: Base, labelCells: string[], rows: number[], labelColumn: number, names: readonly string[] | undefined): RegressionDataset {
  const labels = new Float32Array(labelCells.length);
  for (let r = 0; r < labelCells.length; r++) {
    const cell = labelCells[r]!;
    const value = parseNumericCell(cell);
    if (value === undefined) {
      const location = cellLocation(rows[r]!, labelColumn, names);
      throw new DatasetError('NON_NUMERIC_CELL', `${describeCell(location)}: target '${cell}' is not a number`, location);
    }
    labels[r] = value;
  }
  return { ...base, task: 'regression', labels, labelShape: [1] };
}

function classification(base: Base, labelCells: string[], rows: number[], labelColumn: number, names: readonly string[] | undefined, options: CsvOptions, header: CsvHeader): ClassificationDataset {
  if (options.numClasses !== undefined && !(Number.isInteger(options.numClasses) && options.numClasses >= 1)) {
    throw new DatasetError('INVALID_OPTION', `numClasses must be a whole number of at least 1 (got ${options.numClasses})`);
  }
  const known = {
    ...(options.numClasses === undefined ? {} : { numClasses: options.numClasses }),
    ...(header.kind === 'scikit' && header.classNames.length ? { classNames: header.classNames } : {}),
  };
  const classes = encodeClassLabels({ cells: labelCells, rows, columnIndex: labelColumn, columnNames: names }, known);
  return { ...base, task: 'classification', ...classes };
}

function collectCategories(lines: readonly CsvLine[], column: number, names: readonly string[] | undefined, maxCategories = Infinity): string[] {
  const seen = new Set<string>();
  for (const { row, cells } of lines) {
    const cell = cells[column]!;
    if (cell.length > MAX_INPUT_TEXT) {
      // Categories travel with the model and are matched exactly, so they cannot be cut to fit.
      const location = cellLocation(row, column, names);
      throw new DatasetError('CSV_CATEGORY_TOO_LONG', `${describeCell(location)}: a category can be at most ${MAX_INPUT_TEXT} characters; this one has ${cell.length} (is the column free text?)`, location);
    }
    seen.add(isMissingCell(cell) ? '' : cell);
    if (seen.size > maxCategories) {
      const location = cellLocation(row, column, names);
      throw new DatasetError(
        'CSV_TOO_MANY_CATEGORIES',
        `${describeCell(location)}: the column has more than ${maxCategories} distinct values; a categorical column can have at most ${maxCategories} (is it an identifier, or numbers with a typo?)`,
        location,
      );
    }
  }
  return sortedCategories(seen);
}

function encodedNames(columns: readonly CsvColumn[], featureColumns: readonly number[], encoding: CategoricalEncoding): string[] {
  return featureColumns.flatMap((c) => {
    const column = columns[c]!;
    if (column.type !== 'categorical' || encoding === 'index') return [column.name];
    return column.categories.map((category) => `${column.name}=${category}`);
  });
}

function missingError(row: number, column: number, cell: string, isLabel: boolean, policy: MissingPolicy, names: readonly string[] | undefined): DatasetError {
  const location = cellLocation(row, column, names);
  const what = cell === '' ? `the ${isLabel ? 'label' : 'cell'} is empty` : `'${cell}' marks a missing ${isLabel ? 'label' : 'value'}`;
  const remedy = isLabel && policy === 'mean' ? '; a missing label cannot be filled with a mean (drop those rows instead)' : '';
  return new DatasetError('MISSING_VALUE', `${describeCell(location)}: ${what}${remedy}`, location);
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
