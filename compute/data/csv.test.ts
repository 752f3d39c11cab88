import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, type CsvOptions } from './csv';
import { DatasetError } from './dataset-error';

const shared = (name: string) => readFileSync(new URL(`../../../shared/datasets/${name}`, import.meta.url), 'utf8');

/** The DatasetError thrown by parseCsv, so tests can check code, row and column together. */
function failure(text: string, options: CsvOptions = {}): DatasetError {
  try {
    parseCsv(text, options);
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('parseCsv accepted malformed data');
}

describe('parseCsv on the real datasets', () => {
  it('reads digits.csv as 1797 examples of 64 features in 10 classes', () => {
    const dataset = parseCsv(shared('digits.csv'));
    expect(dataset.task).toBe('classification');
    if (dataset.task !== 'classification') return;
    expect(dataset.size).toBe(1797);
    expect(dataset.featureShape).toEqual([64]);
    expect(dataset.features).toHaveLength(1797 * 64);
    expect(dataset.numClasses).toBe(10);
    expect(dataset.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(Math.max(...dataset.features)).toBe(16);
    expect(Math.min(...dataset.features)).toBe(0);
    // First row of the file: 0,0,5,13,9,1,... with label 0; second row's label is 1.
    expect(Array.from(dataset.features.subarray(0, 6))).toEqual([0, 0, 5, 13, 9, 1]);
    expect(dataset.labels[0]).toBe(0);
    expect(dataset.labels[1]).toBe(1);
    expect(dataset.featureNames).toBeUndefined();
  });

  it("reads iris.csv's scikit-learn header as class names", () => {
    const dataset = parseCsv(shared('iris.csv'));
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(dataset.size).toBe(150);
    expect(dataset.featureShape).toEqual([4]);
    expect(dataset.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(dataset.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(new Set(dataset.labels)).toEqual(new Set([0, 1, 2]));
  });
});

describe('parseCsv options and formats', () => {
  it('uses a named header, picks the label column by name and trims whitespace', () => {
    const dataset = parseCsv('x, species ,y\r\n1.5, cat ,2\r\n -3 ,dog, 4e1\r\n', { label: 'species' });
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(dataset.featureNames).toEqual(['x', 'y']);
    expect(Array.from(dataset.features)).toEqual([1.5, 2, -3, 40]);
    expect(dataset.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(dataset.labels)).toEqual([0, 1]);
  });

  it('accepts label by index, negative from the end', () => {
    const text = '7,1,2\n8,3,4\n';
    const first = parseCsv(text, { label: 0 });
    const middle = parseCsv(text, { label: -2 });
    expect(Array.from(first.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(middle.features)).toEqual([7, 2, 8, 4]);
    expect(first.task === 'classification' && first.classNames).toEqual(['7', '8']);
  });

  it('remaps numeric classes to 0..K-1 in ascending order', () => {
    const dataset = parseCsv('0.1,3\n0.2,1\n0.3,2\n0.4,3\n');
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(Array.from(dataset.labels)).toEqual([2, 0, 1, 2]);
    expect(dataset.classNames).toEqual(['1', '2', '3']);
  });

  it('keeps indices as they are when numClasses is given', () => {
    const dataset = parseCsv('0.1,3\n0.2,1\n', { numClasses: 5 });
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(Array.from(dataset.labels)).toEqual([3, 1]);
    expect(dataset.numClasses).toBe(5);
  });

  it('reads regression targets as floats', () => {
    const dataset = parseCsv('a,b,target\n1,2,0.5\n3,4,-1.25\n', { task: 'regression' });
    expect(dataset.task).toBe('regression');
    expect(Array.from(dataset.labels)).toEqual([0.5, -1.25]);
  });

  it('respects header: false and header: true', () => {
    expect(parseCsv('1,2,0\n3,4,1\n', { header: true }).size).toBe(1);
    expect(failure('a,b,c\n1,2,0\n', { header: false }).code).toBe('NON_NUMERIC_CELL');
  });

  it('skips blank lines without losing row numbers, and supports quoted cells and other delimiters', () => {
    expect(parseCsv('\n1;2;0\n\n3;4;1\n\n', { delimiter: ';' }).size).toBe(2);
    expect(failure('1,2,0\n\n3,x,1\n')).toMatchObject({ row: 3, column: 2 });
    const quoted = parseCsv('"width, cm",label\n"1.5",a\n2,"b ""x"""\n', { label: 'label' });
    expect(quoted.featureNames).toEqual(['width, cm']);
    expect(quoted.task === 'classification' && quoted.classNames).toEqual(['a', 'b "x"']);
  });
});

describe('parseCsv errors', () => {
  it('CSV_TOO_MANY_COLUMNS at the first too-wide line, naming the cap and the count found', () => {
    const wide = `${'1,'.repeat(9)}0\n`;
    const error = failure(`1,2,0\n${wide}`, { limits: { maxColumns: 5 } });
    expect(error).toMatchObject({ code: 'CSV_TOO_MANY_COLUMNS', row: 2, column: 6, message: 'Row 2 has 10 columns; a dataset can have at most 5' });
    // Quoted delimiters are not columns.
    expect(parseCsv('"a,b,c",label\n1,0\n2,1\n', { limits: { maxColumns: 2 } }).size).toBe(2);
  });

  it('CSV_TOO_MANY_CELLS counts every non-blank line', () => {
    const error = failure('1,2,0\n\n3,4,1\n5,6,0\n', { limits: { maxCells: 8 } });
    expect(error).toMatchObject({ code: 'CSV_TOO_MANY_CELLS', message: 'The file has 9 cells in 3 rows; a dataset can have at most 8 cells' });
    expect(parseCsv('1,2,0\n\n3,4,1\n', { limits: { maxCells: 6 } }).size).toBe(2);
  });

  it('EMPTY_FILE for an empty or whitespace-only file, or a header with no rows', () => {
    expect(failure('').code).toBe('EMPTY_FILE');
    expect(failure('\r\n  \n').code).toBe('EMPTY_FILE');
    expect(failure('a,b,label\n')).toMatchObject({ code: 'EMPTY_FILE', message: 'The file has a header row but no data rows' });
  });

  it('RAGGED_ROW with the row as counted in the file', () => {
    const error = failure('a,b,label\n1,2,0\n3,4\n');
    expect(error).toMatchObject({ code: 'RAGGED_ROW', row: 3, column: 3 });
    expect(error.message).toBe('Row 3 has 2 columns, but row 1 has 3');
  });

  it('NON_NUMERIC_CELL with row, column and column name', () => {
    const error = failure('sepal,petal,label\n1,2,0\n3,abc,1\n');
    expect(error).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 3, column: 2, columnName: 'petal' });
    expect(error.message).toBe("Row 3, column 2 (petal): 'abc' is not a number");
  });

  it('NON_NUMERIC_CELL for empty cells and number-like text Number() would accept', () => {
    expect(failure('1,,0\n').message).toBe('Row 1, column 2: the cell is empty');
    expect(failure('1,2,0\n1,0x10,0\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
    expect(failure('1,2,0\n1,Infinity,0\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
  });

  it('NON_NUMERIC_CELL for a text label in a numeric label column', () => {
    expect(failure('1,0\n2,1\n3,two\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 3, column: 2 });
  });

  it('NON_NUMERIC_CELL for a non-numeric regression target', () => {
    expect(failure('1,0.5\n2,n/a\n', { task: 'regression' })).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
  });

  it('LABEL_OUT_OF_RANGE for labels at or above numClasses', () => {
    const error = failure('1,0\n2,9\n3,10\n', { numClasses: 10 });
    expect(error).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', row: 3, column: 2 });
    expect(error.message).toBe("Row 3, column 2: label '10' is not a class index from 0 to 9 (the dataset has 10 classes)");
  });

  it('LABEL_OUT_OF_RANGE for fractional classification labels', () => {
    expect(failure('x,y\n1,0\n2,0.5\n')).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', row: 3, column: 2, columnName: 'y' });
  });

  it('LABEL_OUT_OF_RANGE when a label exceeds the classes named in a scikit-learn header', () => {
    expect(failure('2,1,no,yes\n0.5,1\n0.7,2\n')).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', row: 3 });
  });

  it('LABEL_COLUMN_NOT_FOUND for an unknown name or an index outside the row', () => {
    expect(failure('a,b\n1,0\n', { label: 'species' }).message).toBe("Label column 'species' is not in the header (columns: a, b)");
    expect(failure('1,0\n', { label: 'species' }).code).toBe('LABEL_COLUMN_NOT_FOUND');
    expect(failure('1,0\n', { label: 2 }).code).toBe('LABEL_COLUMN_NOT_FOUND');
    expect(failure('1,0\n', { label: -3 }).code).toBe('LABEL_COLUMN_NOT_FOUND');
    expect(failure('1\n2\n').code).toBe('LABEL_COLUMN_NOT_FOUND');
  });

  it('INVALID_OPTION for a nonsensical numClasses', () => {
    expect(failure('1,0\n', { numClasses: 0 }).code).toBe('INVALID_OPTION');
  });
});
