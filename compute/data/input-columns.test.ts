import { describe, expect, it } from 'vitest';
import { parseCsvTable } from './csv';
import { DatasetError } from './dataset-error';
import { encodedInputWidth, encodeRawRow, InputColumnsSchema, type InputColumn } from './input-columns';

const animals = 'animal,weight,size,label\ncat,4.5,3,0\ndog,20,5,1\nbird,0.3,1,0\ndog,31,5,1\ncat,3.9,3,0\n';

/** Each kept row's cells without the label, through encodeRawRow, must give the parser's own features. */
function expectSameEncoding(text: string, options: Parameters<typeof parseCsvTable>[1]): InputColumn[] {
  const table = parseCsvTable(text, options, 100);
  const width = table.dataset.featureShape[0]!;
  expect(encodedInputWidth(table.inputColumns)).toBe(width);
  table.firstRows.forEach((cells, r) => {
    const raw = cells.filter((_, c) => c !== table.labelColumn);
    expect(Array.from(encodeRawRow(table.inputColumns, raw) as Float32Array)).toEqual(Array.from(table.dataset.features.subarray(r * width, (r + 1) * width)));
  });
  return [...table.inputColumns];
}

describe('input columns from the CSV parser', () => {
  it('describes the feature columns in file order, label left out, with categories in encoding order', () => {
    const columns = expectSameEncoding(animals, { columnTypes: ['auto', 'auto', 'categorical'] });
    expect(columns).toEqual([
      { name: 'animal', kind: 'categorical', categories: ['bird', 'cat', 'dog'], encoding: 'one-hot' },
      { name: 'weight', kind: 'numeric' },
      { name: 'size', kind: 'categorical', categories: ['1', '3', '5'], encoding: 'one-hot' },
    ]);
    expect(InputColumnsSchema.parse(columns)).toEqual(columns);
  });

  it('encodes raw rows one-hot and by index exactly as training did', () => {
    expectSameEncoding(animals, {});
    const index = expectSameEncoding(animals, { categoricalEncoding: 'index', label: 0, columnTypes: ['auto', 'auto', 'auto', 'categorical'] });
    expect(index.map((c) => c.name)).toEqual(['weight', 'size', 'label']);
    expect(index[2]).toEqual({ name: 'label', kind: 'categorical', categories: ['0', '1'], encoding: 'index' });
  });

  it('refuses a category longer than the bound (it could not travel with the model)', () => {
    const long = 'x'.repeat(201);
    expect(() => parseCsvTable(`a,label\n${long},0\nb,1\n`)).toThrow(DatasetError);
    expect(() => parseCsvTable(`a,label\n${long},0\nb,1\n`)).toThrow(/at most 200 characters/);
  });
});

describe('encodeRawRow', () => {
  const columns: InputColumn[] = [
    { name: 'animal', kind: 'categorical', categories: ['bird', 'cat', 'dog'], encoding: 'one-hot' },
    { name: 'weight', kind: 'numeric' },
    { name: 'grade', kind: 'categorical', categories: ['1', '3', 'high'], encoding: 'index' },
  ];

  it('one-hot slots, numbers and index values in column order', () => {
    expect(Array.from(encodeRawRow(columns, ['cat', '4.5', 'high']) as Float32Array)).toEqual([0, 1, 0, 4.5, 2]);
    expect(Array.from(encodeRawRow(columns, ['dog', '-1e1', '1']) as Float32Array)).toEqual([0, 0, 1, -10, 0]);
  });

  it('reads a number in a categorical column as the category text', () => {
    expect(Array.from(encodeRawRow(columns, ['bird', '0', '3']) as Float32Array)).toEqual([1, 0, 0, 0, 1]);
    // "3.0" is not the category "3": categories match as written, as the parser read them.
    expect(encodeRawRow(columns, ['bird', '0', '3.0'])).toMatchObject({ code: 'UNKNOWN_CATEGORY', column: 2 });
  });

  it('names the column and the known categories for an unknown one, truncating a long list', () => {
    expect(encodeRawRow(columns, ['lizard', '1', '1'])).toEqual({
      code: 'UNKNOWN_CATEGORY',
      column: 0,
      columnName: 'animal',
      message: 'value 1 (animal): “lizard” is not a category the model knows (“bird”, “cat”, “dog”)',
    });
    const many: InputColumn[] = [{ name: 'city', kind: 'categorical', categories: Array.from({ length: 40 }, (_, i) => `c${i}`), encoding: 'one-hot' }];
    const error = encodeRawRow(many, ['nowhere']);
    expect(error).toMatchObject({ code: 'UNKNOWN_CATEGORY', message: expect.stringContaining('“c9” and 30 more') });
    expect((error as { message: string }).message).not.toContain('c10');
  });

  it('refuses a wrong count, a missing cell and a non-number, naming the column', () => {
    expect(encodeRawRow(columns, ['cat', '4.5'])).toMatchObject({ code: 'ROW_WIDTH', message: expect.stringContaining('the model takes 3 (animal (categorical), weight, grade (categorical))') });
    expect(encodeRawRow(columns, ['cat', '', 'high'])).toMatchObject({ code: 'MISSING_VALUE', column: 1, columnName: 'weight' });
    expect(encodeRawRow(columns, ['NA', '1', 'high'])).toMatchObject({ code: 'MISSING_VALUE', column: 0, message: expect.stringContaining('(animal) is missing') });
    expect(encodeRawRow(columns, ['cat', '4,5', 'high'])).toMatchObject({ code: 'NOT_A_NUMBER', column: 1, message: 'value 2 (weight): “4,5” is not a number' });
  });

  it("with 'fill' (data read under 'mean') a missing number is NaN and a missing category is '' where training had one", () => {
    const encoded = encodeRawRow(columns, ['cat', '', 'high'], 'fill') as Float32Array;
    expect(Array.from(encoded.slice(0, 3))).toEqual([0, 1, 0]);
    expect(Number.isNaN(encoded[3])).toBe(true);
    expect(encoded[4]).toBe(2);
    // No '' category: nothing to encode it as, so it is refused, saying why.
    expect(encodeRawRow(columns, ['NA', '1', 'high'], 'fill')).toMatchObject({ code: 'MISSING_VALUE', column: 0, message: expect.stringContaining('its training rows always had one') });
    const gappy: InputColumn[] = [{ name: 'colour', kind: 'categorical', categories: ['', 'green', 'red'], encoding: 'one-hot' }];
    expect(Array.from(encodeRawRow(gappy, ['NaN'], 'fill') as Float32Array)).toEqual([1, 0, 0]);
    expect(encodeRawRow(gappy, ['NaN'])).toMatchObject({ code: 'MISSING_VALUE' });
  });
});

describe('InputColumnsSchema', () => {
  it('bounds what it accepts', () => {
    expect(InputColumnsSchema.safeParse([{ name: 'a', kind: 'numeric' }]).success).toBe(true);
    expect(InputColumnsSchema.safeParse([]).success).toBe(false);
    expect(InputColumnsSchema.safeParse([{ name: 'a'.repeat(201), kind: 'numeric' }]).success).toBe(false);
    expect(InputColumnsSchema.safeParse([{ name: 'a', kind: 'categorical', categories: Array.from({ length: 257 }, (_, i) => String(i)), encoding: 'one-hot' }]).success).toBe(false);
    expect(InputColumnsSchema.safeParse([{ name: 'a', kind: 'categorical', categories: ['x', 'x'], encoding: 'one-hot' }]).success).toBe(false);
    expect(InputColumnsSchema.safeParse([{ name: 'a', kind: 'categorical', categories: ['x'], encoding: 'ordinal' }]).success).toBe(false);
    expect(InputColumnsSchema.safeParse(Array.from({ length: 10_001 }, () => ({ name: 'a', kind: 'numeric' }))).success).toBe(false);
  });
});
