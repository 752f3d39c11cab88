import type { CsvLine } from './csv-lines';
import { parseNumericCell } from './numeric-cell';

/** What the first line of a CSV is. */
export type CsvHeader =
  | { readonly kind: 'names'; readonly names: string[] }
  /** scikit-learn's `n_samples,n_features,class names…` line; classNames may be empty. */
  | { readonly kind: 'scikit'; readonly classNames: string[] }
  | { readonly kind: 'none' };

/** How a dataset says its first line is read: by its look, always as column names, or as data. */
export type HeaderChoice = 'auto' | 'names' | 'none';
export const HEADER_CHOICES: readonly HeaderChoice[] = ['auto', 'names', 'none'];

/**
 * Reads the first line as a header when asked to (true or 'names'), never (false or 'none') or by
 * its look ('auto'):
 * scikit-learn's count line first, else a row with text in a column whose next row holds a number.
 * Empty cells are missing values, not names, so they never make a row a header.
 */
export function detectHeader(lines: readonly CsvLine[], choice: boolean | HeaderChoice): CsvHeader {
  const option = choice === 'names' ? true : choice === 'none' ? false : choice;
  const [first, second] = lines;
  if (!first || option === false) return { kind: 'none' };
  const scikit = second ? readScikitHeader(first, lines.length - 1, second.cells.length) : undefined;
  if (scikit) return scikit;
  if (option === true || looksLikeNames(first, second)) return { kind: 'names', names: first.cells };
  return { kind: 'none' };
}

function looksLikeNames(first: CsvLine, second: CsvLine | undefined): boolean {
  const isText = (cell: string) => cell !== '' && parseNumericCell(cell) === undefined;
  if (!second) return first.cells.some(isText);
  return first.cells.some((cell, c) => isText(cell) && parseNumericCell(second.cells[c] ?? '') !== undefined);
}

/**
 * scikit-learn's bundled CSVs start with "rows,features,class names…", e.g.
 * `150,4,setosa,versicolor,virginica`, some padded with empty cells to the width of the data rows
 * (`569,30,malignant,benign,,,…`): trailing empty cells are padding, not classes. Recognised only
 * when the counts match the file exactly and it names at least two classes (or none), so a numeric
 * first row rarely passes for one by chance.
 */
function readScikitHeader(header: CsvLine, dataRows: number, dataWidth: number): CsvHeader | undefined {
  let end = header.cells.length;
  while (end > 2 && header.cells[end - 1] === '') end--;
  const [rows, features, ...classNames] = header.cells.slice(0, end);
  if (rows === undefined || features === undefined || classNames.length === 1) return undefined;
  if (header.cells.length > Math.max(end, dataWidth)) return undefined;
  if (classNames.some((name) => name === '')) return undefined;
  if (parseNumericCell(rows) !== dataRows || parseNumericCell(features) !== dataWidth - 1) return undefined;
  return { kind: 'scikit', classNames };
}
