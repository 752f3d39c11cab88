import { cellLocation, describeCell } from './cell-location';
import { DatasetError } from './dataset-error';
import { parseNumericCell } from './numeric-cell';

export interface LabelCells {
  readonly cells: readonly string[];
  /** File row of each cell, for error messages. */
  readonly rows: readonly number[];
  readonly columnIndex: number;
  readonly columnNames: readonly string[] | undefined;
}

export interface EncodedClasses {
  readonly labels: Int32Array;
  readonly numClasses: number;
  readonly classNames: string[];
}

/**
 * Turns a label column into class indices 0..K-1.
 * - With a known class count (option or file header) labels must already be indices below it.
 * - Numeric labels must be whole numbers and are remapped in ascending order ({1, 2, 3} -> {0, 1, 2});
 *   classNames keeps the original values so predictions can be reported in the data's own terms.
 * - Text labels ('setosa') become classes in sorted order. A column is text when its first label is.
 */
export function encodeClassLabels(column: LabelCells, knownClasses: { numClasses?: number; classNames?: readonly string[] }): EncodedClasses {
  const { cells } = column;
  const labels = new Int32Array(cells.length);
  const numClasses = knownClasses.numClasses ?? knownClasses.classNames?.length;

  if (numClasses !== undefined) {
    for (let i = 0; i < cells.length; i++) {
      const value = parseNumericCell(cells[i]!);
      if (value === undefined || !Number.isInteger(value) || value < 0 || value >= numClasses) {
        throw labelError(column, i, `label '${cells[i]}' is not a class index from 0 to ${numClasses - 1} (the dataset has ${numClasses} classes)`);
      }
      labels[i] = value;
    }
    const names = knownClasses.classNames?.length === numClasses ? [...knownClasses.classNames] : indexNames(numClasses);
    return { labels, numClasses, classNames: names };
  }

  const first = cells[0];
  if (first !== undefined && parseNumericCell(first) === undefined && first !== '') return encodeTextLabels(column);

  const values = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const value = parseNumericCell(cells[i]!);
    if (value === undefined) {
      const cell = cells[i]!;
      throw new DatasetError(
        'NON_NUMERIC_CELL',
        `${describeCell(locate(column, i))}: ${cell === '' ? 'the label is empty' : `label '${cell}' is not a number, but earlier labels are`}`,
        locate(column, i),
      );
    }
    if (!Number.isInteger(value)) {
      throw labelError(column, i, `label ${cells[i]} is not a whole number; classes must be integers (use task 'regression' for continuous targets)`);
    }
    values[i] = value;
  }
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const indexOf = new Map(distinct.map((value, index) => [value, index]));
  for (let i = 0; i < values.length; i++) labels[i] = indexOf.get(values[i]!)!;
  return { labels, numClasses: distinct.length, classNames: distinct.map(String) };
}

function encodeTextLabels(column: LabelCells): EncodedClasses {
  const { cells } = column;
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === '') throw new DatasetError('NON_NUMERIC_CELL', `${describeCell(locate(column, i))}: the label is empty`, locate(column, i));
  }
  const classNames = [...new Set(cells)].sort();
  const indexOf = new Map(classNames.map((name, index) => [name, index]));
  const labels = Int32Array.from(cells, (cell) => indexOf.get(cell)!);
  return { labels, numClasses: classNames.length, classNames };
}

function indexNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

function locate(column: LabelCells, i: number) {
  return cellLocation(column.rows[i]!, column.columnIndex, column.columnNames);
}

function labelError(column: LabelCells, i: number, problem: string): DatasetError {
  const location = locate(column, i);
  return new DatasetError('LABEL_OUT_OF_RANGE', `${describeCell(location)}: ${problem}`, location);
}
