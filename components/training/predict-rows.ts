import { columnList, encodeRawRow, isMissingCell, numericInputColumns, type InputColumn, type RawRowError } from '@/compute/data';
import { csvLines, type CsvLine } from '@/compute/data/csv-lines';
import { parseNumericCell } from '@/compute/data/numeric-cell';
import { applyPreprocessingToFeatures, preprocessingWidth, type Preprocessing } from '@/compute/data/preprocessing';

/** Rows one Predict may score: a typed row or a CSV of them, kept small enough to show and download. */
export const MAX_PREDICT_ROWS = 10_000;

export interface PredictRowsError {
  readonly code: 'PREDICT_NO_ROWS' | 'PREDICT_TOO_MANY_ROWS' | 'PREDICT_BAD_CSV' | 'PREDICT_ROW_WIDTH' | 'PREDICT_NOT_A_NUMBER' | 'PREDICT_MISSING_VALUE' | 'PREDICT_UNKNOWN_CATEGORY';
  readonly message: string;
}

/** `cells`: each row as written (what the predictions CSV echoes); `rows`: the same rows encoded, as the model's preprocessing takes them. */
export type ParsedRows = { readonly ok: true; readonly cells: string[][]; readonly rows: number[][] } | ({ readonly ok: false } & PredictRowsError);

export interface RowPrediction {
  readonly predicted: number;
  readonly className: string;
  readonly probabilities: number[];
}

const ROW_ERROR_CODES: Record<RawRowError['code'], PredictRowsError['code']> = {
  ROW_WIDTH: 'PREDICT_ROW_WIDTH',
  MISSING_VALUE: 'PREDICT_MISSING_VALUE',
  NOT_A_NUMBER: 'PREDICT_NOT_A_NUMBER',
  UNKNOWN_CATEGORY: 'PREDICT_UNKNOWN_CATEGORY',
};

/** Whether a cell could be a value of the column (a number, or a category it knows); a header's names cannot. */
function isValueOf(column: InputColumn, cell: string): boolean {
  return column.kind === 'numeric' ? parseNumericCell(cell) !== undefined || isMissingCell(cell) : column.categories.includes(cell);
}

/**
 * A first line is a header (skipped) when it repeats the column names, or when other lines follow and
 * none of its cells could be a value of its column; so a CSV saved from a spreadsheet (or the
 * dataset file without its label column) reads as is, and a lone mistyped row is reported, not skipped.
 */
function isHeader(cells: readonly string[], columns: readonly InputColumn[], more: boolean): boolean {
  if (cells.length !== columns.length) return false;
  if (cells.every((cell, c) => cell.toLowerCase() === columns[c]!.name.trim().toLowerCase())) return true;
  return more && cells.every((cell, c) => !isValueOf(columns[c]!, cell));
}

/**
 * Feature rows from what the user typed or uploaded: comma-separated values (quoted as a CSV
 * quotes them), one row a line, one value per raw input column, in the columns' order. Categorical
 * columns are encoded as the model was trained (one-hot or index) with its own categories; `columns`
 * as a number means that many numeric values (a model without an input-columns description).
 * `missing` 'fill' (the run's preprocessing has a fill) takes missing cells as encodeRawRow does.
 */
export function parsePredictRows(text: string, columns: readonly InputColumn[] | number, missing: 'refuse' | 'fill' = 'refuse'): ParsedRows {
  const described = typeof columns !== 'number';
  const input = described ? columns : numericInputColumns(columns);
  let lines: CsvLine[];
  try {
    lines = csvLines(text, ',');
  } catch (error) {
    return { ok: false, code: 'PREDICT_BAD_CSV', message: error instanceof Error ? error.message : String(error) };
  }
  if (lines.length > 0 && isHeader(lines[0]!.cells, input, lines.length > 1)) lines.shift();
  const hint = described ? ` (${columnList(input)})` : '';
  if (lines.length === 0) return { ok: false, code: 'PREDICT_NO_ROWS', message: `Type a row of ${input.length} comma-separated values${hint}, or choose a CSV file of rows.` };
  if (lines.length > MAX_PREDICT_ROWS) return { ok: false, code: 'PREDICT_TOO_MANY_ROWS', message: `At most ${MAX_PREDICT_ROWS.toLocaleString('en')} rows at a time; this has ${lines.length.toLocaleString('en')}.` };
  const cells: string[][] = [];
  const rows: number[][] = [];
  for (const { row, cells: line } of lines) {
    // The raw count, not the encoded width: a one-hot column is still one value to type.
    if (line.length !== input.length) return { ok: false, code: 'PREDICT_ROW_WIDTH', message: `Line ${row} has ${line.length} ${line.length === 1 ? 'value' : 'values'}; the model takes ${input.length}${described ? ` raw values${hint}` : ''}.` };
    const encoded = encodeRawRow(input, line, missing);
    if (!(encoded instanceof Float32Array)) return { ok: false, code: ROW_ERROR_CODES[encoded.code], message: `Line ${row}, ${encoded.message}.` };
    cells.push(line);
    rows.push(Array.from(encoded));
  }
  return { ok: true, cells, rows };
}

/**
 * The whole pipeline on raw rows: the run's fitted scaling, then the model's forward pass (given as
 * `logitsOf`, scaled row-major features -> row-major logits), then softmax per row.
 */
export function predictRows(rows: readonly (readonly number[])[], preprocessing: Preprocessing, logitsOf: (scaled: Float32Array, count: number) => ArrayLike<number>, classNames: readonly string[]): RowPrediction[] {
  const width = preprocessingWidth(preprocessing);
  const raw = new Float32Array(rows.length * width);
  rows.forEach((r, i) => raw.set(r, i * width));
  const logits = logitsOf(applyPreprocessingToFeatures(preprocessing, raw), rows.length);
  const classes = logits.length / Math.max(1, rows.length);
  return rows.map((_, r) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
    const exps = Array.from({ length: classes }, (_, c) => Math.exp(logits[r * classes + c]! - logits[r * classes + best]!));
    const sum = exps.reduce((a, b) => a + b, 0);
    return { predicted: best, className: classNames[best] ?? String(best), probabilities: exps.map((e) => e / sum) };
  });
}

const csvCell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The rows as written (raw cells, categories as text), then the predicted class and one probability column per class. */
export function predictionsCsv(cells: readonly (readonly string[])[], predictions: readonly RowPrediction[], classNames: readonly string[], columnNames?: readonly string[]): string {
  const width = cells[0]?.length ?? columnNames?.length ?? 0;
  const classes = predictions[0]?.probabilities.length ?? classNames.length;
  const header = [
    ...Array.from({ length: width }, (_, i) => columnNames?.[i] ?? `x${i + 1}`),
    'predicted',
    ...Array.from({ length: classes }, (_, c) => `p(${classNames[c] ?? c})`),
  ];
  const lines = cells.map((row, i) => [...row, predictions[i]!.className, ...predictions[i]!.probabilities.map((p) => p.toPrecision(6))]);
  return [header, ...lines].map((line) => line.map(csvCell).join(',')).join('\n') + '\n';
}
