import { applyPreprocessingToFeatures, preprocessingWidth, type Preprocessing } from '@/compute/data/preprocessing';

/** Rows one Predict may score: a typed row or a CSV of them, kept small enough to show and download. */
export const MAX_PREDICT_ROWS = 10_000;

export interface PredictRowsError {
  readonly code: 'PREDICT_NO_ROWS' | 'PREDICT_TOO_MANY_ROWS' | 'PREDICT_ROW_WIDTH' | 'PREDICT_NOT_A_NUMBER';
  readonly message: string;
}

export type ParsedRows = { readonly ok: true; readonly rows: number[][] } | ({ readonly ok: false } & PredictRowsError);

export interface RowPrediction {
  readonly predicted: number;
  readonly className: string;
  readonly probabilities: number[];
}

const cellsOf = (line: string) => line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
const isNumber = (cell: string) => cell !== '' && Number.isFinite(Number(cell));

/**
 * Raw feature rows from what the user typed or uploaded: comma-separated values, one row a line,
 * exactly `width` values each. A first line that is not all numbers is a header and is skipped, so a
 * CSV saved from a spreadsheet (or the dataset file without its label column) reads as is.
 */
export function parsePredictRows(text: string, width: number): ParsedRows {
  const lines = text.split(/\r?\n/).map((l, i) => ({ line: l, number: i + 1 })).filter((l) => l.line.trim() !== '');
  if (lines.length > 0 && !cellsOf(lines[0]!.line).every(isNumber)) lines.shift();
  if (lines.length === 0) return { ok: false, code: 'PREDICT_NO_ROWS', message: `Type a row of ${width} comma-separated values, or choose a CSV file of rows.` };
  if (lines.length > MAX_PREDICT_ROWS) return { ok: false, code: 'PREDICT_TOO_MANY_ROWS', message: `At most ${MAX_PREDICT_ROWS.toLocaleString('en')} rows at a time; this has ${lines.length.toLocaleString('en')}.` };
  const rows: number[][] = [];
  for (const { line, number } of lines) {
    const cells = cellsOf(line);
    if (cells.length !== width) return { ok: false, code: 'PREDICT_ROW_WIDTH', message: `Line ${number} has ${cells.length} values; the model takes ${width}.` };
    const bad = cells.findIndex((c) => !isNumber(c));
    if (bad >= 0) return { ok: false, code: 'PREDICT_NOT_A_NUMBER', message: `Line ${number}, value ${bad + 1} (“${cells[bad]}”) is not a number.` };
    rows.push(cells.map(Number));
  }
  return { ok: true, rows };
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

/** The rows as given, then the predicted class and one probability column per class. */
export function predictionsCsv(rows: readonly (readonly number[])[], predictions: readonly RowPrediction[], classNames: readonly string[], featureNames?: readonly string[]): string {
  const width = rows[0]?.length ?? 0;
  const classes = predictions[0]?.probabilities.length ?? classNames.length;
  const header = [
    ...Array.from({ length: width }, (_, i) => featureNames?.[i] ?? `x${i + 1}`),
    'predicted',
    ...Array.from({ length: classes }, (_, c) => `p(${classNames[c] ?? c})`),
  ];
  const lines = rows.map((row, i) => [...row.map(String), predictions[i]!.className, ...predictions[i]!.probabilities.map((p) => p.toPrecision(6))]);
  return [header, ...lines].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n';
}
