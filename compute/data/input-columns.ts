import { z } from 'zod';
import type { CategoricalEncoding, ColumnType } from './categories';
import { isMissingCell } from './missing-values';
import { parseNumericCell } from './numeric-cell';

/**
 * The raw columns a model was trained on, in file order (label left out), and how each became
 * features: what turns a row as a file writes it ("cat,4.5") into the exact encoded vector training
 * used. It travels with the model (runs, safetensors and ONNX metadata), so Predict and any other
 * reader can encode raw rows without the dataset at hand.
 */
export type InputColumn =
  | { readonly name: string; readonly kind: 'numeric' }
  | {
      readonly name: string;
      readonly kind: 'categorical';
      /** In encoding order: one-hot slot i (or index value i) is categories[i]. */
      readonly categories: readonly string[];
      readonly encoding: CategoricalEncoding;
    };

/** Bounds on a description read back from a file or a request (it is JSON from outside). */
export const MAX_INPUT_COLUMNS = 10_000;
export const MAX_INPUT_CATEGORIES = 256;
export const MAX_INPUT_TEXT = 200;

const text = z.string().max(MAX_INPUT_TEXT);

export const InputColumnSchema = z.discriminatedUnion('kind', [
  z.object({ name: text, kind: z.literal('numeric') }),
  z.object({
    name: text,
    kind: z.literal('categorical'),
    categories: z
      .array(text)
      .min(1)
      .max(MAX_INPUT_CATEGORIES)
      .refine((c) => new Set(c).size === c.length, 'Categories must be distinct'),
    encoding: z.enum(['one-hot', 'index']),
  }),
]);

export const InputColumnsSchema = z.array(InputColumnSchema).min(1).max(MAX_INPUT_COLUMNS);

/** Encoded features the columns make: what the preprocessing and the model's Input take. */
export function encodedInputWidth(columns: readonly InputColumn[]): number {
  return columns.reduce((sum, c) => sum + (c.kind === 'categorical' && c.encoding === 'one-hot' ? c.categories.length : 1), 0);
}

/** What the CSV parser knows of a column; kept structural so this module does not import the parser. */
interface ParsedColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly categories: readonly string[];
}

/**
 * The feature columns of a parsed file (label left out), in file order. Names longer than the bound
 * are cut (they only label things); categories are never cut, since they must match exactly: the
 * parser refuses a category longer than MAX_INPUT_TEXT.
 */
export function inputColumnsOf(columns: readonly ParsedColumn[], labelColumn: number, encoding: CategoricalEncoding): InputColumn[] {
  return columns.flatMap((column, c): InputColumn[] => {
    if (c === labelColumn) return [];
    const name = column.name.slice(0, MAX_INPUT_TEXT);
    return column.type === 'categorical' ? [{ name, kind: 'categorical', categories: [...column.categories], encoding }] : [{ name, kind: 'numeric' }];
  });
}

/** Numeric columns x1..xN: what a model without a description (older runs, images, generated data) takes. */
export function numericInputColumns(width: number): InputColumn[] {
  return Array.from({ length: width }, (_, i) => ({ name: `x${i + 1}`, kind: 'numeric' as const }));
}

export type RawRowErrorCode = 'ROW_WIDTH' | 'MISSING_VALUE' | 'NOT_A_NUMBER' | 'UNKNOWN_CATEGORY';

/** Why a raw row cannot be encoded; `column` is 0-based into the input columns. */
export interface RawRowError {
  readonly code: RawRowErrorCode;
  readonly message: string;
  readonly column?: number;
  readonly columnName?: string;
}

/** Known categories listed in a message before it says "and N more". */
const LISTED_CATEGORIES = 10;
const LISTED_TEXT = 60;

function knownCategories(categories: readonly string[]): string {
  const shown = categories.slice(0, LISTED_CATEGORIES).map((c) => `“${c.length > LISTED_TEXT ? `${c.slice(0, LISTED_TEXT)}…` : c}”`);
  const more = categories.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/**
 * One raw row (cells as written: trimmed, unquoted) to the encoded feature vector, exactly as the
 * CSV parser encoded training rows: numbers parsed the same way, a categorical cell matched as
 * text (so "3" in a categorical column is the category "3"), one-hot slots or the index.
 *
 * A missing cell is an error unless `missing` is 'fill' (the model's preprocessing has a fill: its
 * data was read with the 'mean' policy). Then, as the CSV parser did under 'mean', a numeric cell
 * becomes NaN for the preprocessing to fill with its training mean, and a categorical cell is the
 * category '' when the training rows had one missing there (else there is nothing to encode it as).
 */
export function encodeRawRow(columns: readonly InputColumn[], cells: readonly string[], missing: 'refuse' | 'fill' = 'refuse'): Float32Array | RawRowError {
  if (cells.length !== columns.length) {
    return { code: 'ROW_WIDTH', message: `${cells.length} ${cells.length === 1 ? 'value was' : 'values were'} given; the model takes ${columns.length} (${columnList(columns)})` };
  }
  const out = new Float32Array(encodedInputWidth(columns));
  let offset = 0;
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    const cell = cells[c]!;
    const where = { column: c, columnName: column.name };
    const absent = isMissingCell(cell);
    if (absent) {
      if (missing === 'fill' && column.kind === 'numeric') {
        out[offset++] = NaN;
        continue;
      }
      const asCategory = missing === 'fill' && column.kind === 'categorical' && column.categories.includes('');
      if (!asCategory) {
        const why = missing === 'fill' ? '; its training rows always had one, so there is no category to read it as' : '; give every column a value';
        return { code: 'MISSING_VALUE', message: `value ${c + 1} (${column.name}) is missing${cell === '' ? '' : ` (“${cell}” marks a missing value)`}${why}`, ...where };
      }
    }
    if (column.kind === 'numeric') {
      const value = parseNumericCell(cell);
      if (value === undefined) return { code: 'NOT_A_NUMBER', message: `value ${c + 1} (${column.name}): “${cell}” is not a number`, ...where };
      out[offset++] = value;
      continue;
    }
    const index = column.categories.indexOf(absent ? '' : cell);
    if (index < 0) {
      return { code: 'UNKNOWN_CATEGORY', message: `value ${c + 1} (${column.name}): “${cell.length > LISTED_TEXT ? `${cell.slice(0, LISTED_TEXT)}…` : cell}” is not a category the model knows (${knownCategories(column.categories)})`, ...where };
    }
    if (column.encoding === 'index') out[offset++] = index;
    else {
      out[offset + index] = 1;
      offset += column.categories.length;
    }
  }
  return out;
}

/** "sepal length, colour (categorical), …": the columns a row must give, for hints and errors. */
export function columnList(columns: readonly InputColumn[], max = 8): string {
  const shown = columns.slice(0, max).map((c) => (c.kind === 'categorical' ? `${c.name} (categorical)` : c.name));
  return shown.join(', ') + (columns.length > max ? `, … ${columns.length - max} more` : '');
}
