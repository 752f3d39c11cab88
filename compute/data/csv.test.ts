import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvTable, type CsvOptions } from './csv';
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

  it('NON_NUMERIC_CELL for number-like text Number() would accept; MISSING_VALUE for empty cells', () => {
    expect(failure('1,,0\n')).toMatchObject({ code: 'MISSING_VALUE', row: 1, column: 2, message: 'Row 1, column 2: the cell is empty' });
    expect(failure('1,2,0\n1,0x10,0\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
    expect(failure('1,2,0\n1,Infinity,0\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
  });

  it('NON_NUMERIC_CELL for a text label in a numeric label column', () => {
    expect(failure('1,0\n2,1\n3,two\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 3, column: 2 });
  });

  it('NON_NUMERIC_CELL for a non-numeric regression target', () => {
    expect(failure('1,0.5\n2,abc\n', { task: 'regression' })).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 2 });
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

describe('header detection on each layout', () => {
  it('a header of names: names kept, label found by name', () => {
    const table = parseCsvTable('height,weight,kind\n1.5,60,a\n1.7,80,b\n', { label: 'kind' });
    expect(table.header).toBe('names');
    expect(table.columns.map((c) => c.name)).toEqual(['height', 'weight', 'kind']);
    expect(table.dataset.size).toBe(2);
  });

  it('no header (first row numeric): every row is data and columns are "column 1".."column N"', () => {
    const table = parseCsvTable('1.5,60,0\n1.7,80,1\n');
    expect(table.header).toBe('none');
    expect(table.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3']);
    expect(table.dataset.size).toBe(2);
    expect(table.dataset.featureNames).toBeUndefined();
  });

  it('quoted cells (RFC 4180): delimiters and doubled quotes inside quotes', () => {
    const table = parseCsvTable('"size, cm","say ""hi""",label\n"1.5",2,"a, b"\n3,4,"c ""d"""\n', {}, 2);
    expect(table.columns.map((c) => c.name)).toEqual(['size, cm', 'say "hi"', 'label']);
    expect(Array.from(table.dataset.features)).toEqual([1.5, 2, 3, 4]);
    expect(table.firstRows).toEqual([
      ['1.5', '2', 'a, b'],
      ['3', '4', 'c "d"'],
    ]);
    const dataset = table.dataset;
    expect(dataset.task === 'classification' && dataset.classNames).toEqual(['a, b', 'c "d"']);
  });

  it('quoted line breaks stay inside their cell, and later rows keep their file line numbers', () => {
    const text = 'size,note,label\r\n1,"two\r\nlines",a\n2,"one",b\n3,x,c,extra\n';
    const table = parseCsvTable(text.replace('3,x,c,extra\n', ''), {}, 2);
    expect(table.firstRows).toEqual([
      ['1', 'two\r\nlines', 'a'],
      ['2', 'one', 'b'],
    ]);
    // The ragged row is on line 5 of the file: the quoted break counted as a line.
    expect(() => parseCsv(text, { label: 'label' })).toThrow(expect.objectContaining({ code: 'RAGGED_ROW', row: 5 }));
  });

  it('a quote that is never closed is refused with the row it opened on', () => {
    const text = 'a,b,label\n1,2,x\n3,"4,y\n5,6,z\n';
    expect(() => parseCsv(text)).toThrow(expect.objectContaining({ code: 'CSV_UNCLOSED_QUOTE', row: 3, message: expect.stringContaining('Row 3') }));
    // The same answer when the upload's shape limits are checked first.
    expect(() => parseCsv(text, { limits: { maxColumns: 10, maxCells: 100 } })).toThrow(expect.objectContaining({ code: 'CSV_UNCLOSED_QUOTE' }));
  });

  it("scikit-learn's count header: class names kept and used as the label names", () => {
    const dataset = parseCsv('3,2,no,yes\n0.5,1,0\n0.7,2,1\n0.9,3,1\n');
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(dataset.size).toBe(3);
    expect(dataset.numClasses).toBe(2);
    expect(dataset.classNames).toEqual(['no', 'yes']);
  });

  it("scikit-learn's header padded with empty cells to the row width: the padding is not classes", () => {
    // breast_cancer.csv's layout: 569,30,malignant,benign followed by empty cells up to 31 columns.
    const rows = ['1,2,3,4,5,0', '2,3,4,5,6,1', '3,4,5,6,7,0', '4,5,6,7,8,1'];
    const table = parseCsvTable(`4,5,malignant,benign,,\n${rows.join('\n')}\n`);
    expect(table.header).toBe('scikit');
    const dataset = table.dataset;
    if (dataset.task !== 'classification') throw new Error('expected classification');
    expect(dataset.size).toBe(4);
    expect(dataset.featureShape).toEqual([5]);
    expect(dataset.numClasses).toBe(2);
    expect(dataset.classNames).toEqual(['malignant', 'benign']);
    expect(Array.from(dataset.labels)).toEqual([0, 1, 0, 1]);
    expect(table.columns.map((c) => c.name)).toEqual(['column 1', 'column 2', 'column 3', 'column 4', 'column 5', 'column 6']);
  });

  it('a padded count line whose counts do not match the file is data, not a header', () => {
    expect(parseCsvTable('9,5,0,0,0,0\n1,2,3,4,5,0\n2,3,4,5,6,1\n').header).toBe('none');
  });

  it('iris.csv (scikit-learn header) and digits.csv (no header) as they are', () => {
    const iris = parseCsvTable(shared('iris.csv'), {}, 1);
    expect(iris.header).toBe('scikit');
    expect(iris.firstRows).toEqual([['5.1', '3.5', '1.4', '0.2', '0']]);
    const digits = parseCsvTable(shared('digits.csv'));
    expect(digits.header).toBe('none');
    expect(digits.columns).toHaveLength(65);
    expect(digits.columns[64]!.name).toBe('column 65');
    expect(digits.columns.every((c) => c.type === 'numeric' && c.missing === 0)).toBe(true);
  });
});

describe('column types and categorical encoding', () => {
  const colours = 'colour,size,label\nred,1,0\nblue,2,1\nred,3,0\ngreen,4,1\n';

  it('a column of text is categorical, one-hot by default, in sorted category order', () => {
    const table = parseCsvTable(colours);
    expect(table.columns[0]).toMatchObject({ detected: 'categorical', type: 'categorical', categories: ['blue', 'green', 'red'] });
    expect(table.dataset.featureShape).toEqual([4]);
    expect(table.dataset.featureNames).toEqual(['colour=blue', 'colour=green', 'colour=red', 'size']);
    expect(Array.from(table.dataset.features.subarray(0, 8))).toEqual([0, 0, 1, 1, 1, 0, 0, 2]);
  });

  it('index encoding gives one feature holding the category position', () => {
    const dataset = parseCsv(colours, { categoricalEncoding: 'index' });
    expect(dataset.featureNames).toEqual(['colour', 'size']);
    expect(Array.from(dataset.features)).toEqual([2, 1, 0, 2, 2, 3, 1, 4]);
  });

  it('the user can read a numeric column as categories, or insist a text column is numeric', () => {
    const table = parseCsvTable(colours, { columnTypes: ['auto', 'categorical'], categoricalEncoding: 'index' });
    expect(table.columns[1]).toMatchObject({ detected: 'numeric', type: 'categorical', categories: ['1', '2', '3', '4'] });
    expect(failure(colours, { columnTypes: ['numeric'] })).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 2, column: 1, columnName: 'colour' });
    expect(failure(colours, { columnTypes: ['auto', 'auto', 'auto', 'auto'] }).code).toBe('INVALID_OPTION');
  });

  it('a mostly numeric column with a stray word is still an error at that cell, not categories', () => {
    expect(failure('width,height,label\n1,2,0\n3,oops,1\n5,6,0\n')).toMatchObject({ code: 'NON_NUMERIC_CELL', row: 3, column: 2, message: "Row 3, column 2 (height): 'oops' is not a number" });
  });

  it('CSV_TOO_MANY_CATEGORIES past the cap, and CSV_TOO_MANY_COLUMNS when one-hot makes too many features', () => {
    expect(failure(colours, { limits: { maxCategories: 2 } })).toMatchObject({ code: 'CSV_TOO_MANY_CATEGORIES', row: 5, column: 1 });
    expect(failure(colours, { limits: { maxColumns: 4 } }).code).toBe('CSV_TOO_MANY_COLUMNS');
    expect(parseCsv(colours, { limits: { maxColumns: 4 }, categoricalEncoding: 'index' }).featureShape).toEqual([2]);
    // 4 rows x 3 columns fit 12 cells, but one-hot makes 4 rows x (4 features + label) = 20 values.
    expect(failure(colours, { limits: { maxCells: 19 } }).code).toBe('CSV_TOO_MANY_CELLS');
    expect(parseCsv(colours, { limits: { maxCells: 20 } }).size).toBe(4);
  });
});

describe('missing values', () => {
  const gappy = 'a,b,label\n1,2,0\n3,,1\n5,NA,0\n7,8,1\n';

  it("'refuse' (the default) names the row and column of the first missing cell", () => {
    expect(failure(gappy)).toMatchObject({ code: 'MISSING_VALUE', row: 3, column: 2, columnName: 'b', message: 'Row 3, column 2 (b): the cell is empty' });
    expect(failure('a,b,label\n1,2,0\n5,NA,0\n')).toMatchObject({ code: 'MISSING_VALUE', message: "Row 3, column 2 (b): 'NA' marks a missing value" });
  });

  it("'drop-rows' leaves out the rows with a missing cell, label included", () => {
    const table = parseCsvTable(`${gappy}9,10,\n`, { missing: 'drop-rows' }, 5);
    expect(table.dataset.size).toBe(2);
    expect(table.droppedRows).toBe(3);
    expect(Array.from(table.dataset.features)).toEqual([1, 2, 7, 8]);
    expect(table.columns.map((c) => c.missing)).toEqual([0, 2, 1]);
    expect(table.firstRows).toEqual([
      ['1', '2', '0'],
      ['7', '8', '1'],
    ]);
    expect(failure('a,b\n,0\n1,\n', { missing: 'drop-rows' }).code).toBe('MISSING_VALUE');
  });

  it("'mean' keeps the rows with NaN for the trainer to fill, but cannot fill a label", () => {
    const dataset = parseCsv(gappy, { missing: 'mean' });
    expect(dataset.size).toBe(4);
    expect(Array.from(dataset.features)).toEqual([1, 2, 3, NaN, 5, NaN, 7, 8]);
    expect(failure('a,label\n1,0\n2,\n', { missing: 'mean' })).toMatchObject({ code: 'MISSING_VALUE', row: 3, column: 2 });
  });

  it("under 'mean' a missing category is a category of its own", () => {
    const table = parseCsvTable('c,label\nx,0\n,1\ny,0\n', { missing: 'mean' });
    expect(table.columns[0]!.categories).toEqual(['', 'x', 'y']);
    expect(Array.from(table.dataset.features)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1]);
  });
});

describe('preview rows as written', () => {
  it('keeps the cell text, not the float32 value', () => {
    const table = parseCsvTable('a,b,label\n14.23,1e3,0\n0.1,-2,1\n', {}, 1);
    expect(table.dataset.features[0]).not.toBe(14.23);
    expect(table.firstRows).toEqual([['14.23', '1e3', '0']]);
  });
});
