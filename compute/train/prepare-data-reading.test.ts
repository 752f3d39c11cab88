import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare-data';
import type { DataSpec } from './prepare-data';

/** 40 rows; every 5th has no `b`, every 3rd is a 'green' one. */
function csv(): ArrayBuffer {
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${i % 5 === 0 ? '' : i * 10},${i % 3 === 0 ? 'green' : 'red'},${i % 2}`);
  return new TextEncoder().encode(`a,b,colour,label\n${rows.join('\n')}\n`).buffer as ArrayBuffer;
}

const spec = (reading: Extract<DataSpec, { kind: 'csv' }>['reading']): DataSpec => ({ kind: 'csv', label: 'gappy', bytes: csv(), labelColumn: null, ...(reading ? { reading } : {}) });

describe('prepareData reads a CSV the way its dataset says', () => {
  it('refuses missing cells by default, with the row and column', () => {
    expect(() => prepareData(spec(undefined), 0.2, 0.1, 1)).toThrow('Row 2, column 2 (b): the cell is empty');
  });

  it("drops rows under 'drop-rows' and one-hot encodes the text column", () => {
    const data = prepareData(spec({ missing: 'drop-rows' }), 0.2, 0.1, 1);
    expect(data.train.size + data.validation.size + (data.test?.size ?? 0)).toBe(32);
    expect(data.summary.featureShape).toEqual([4]);
    expect(prepareData(spec({ missing: 'drop-rows', categoricalEncoding: 'index' }), 0.2, 0.1, 1).summary.featureShape).toEqual([3]);
  });

  it("fills under 'mean' from the training rows only: no NaN in any split", () => {
    const data = prepareData(spec({ missing: 'mean' }), 0.2, 0.1, 1);
    expect(data.train.size + data.validation.size + data.test!.size).toBe(40);
    for (const split of [data.train, data.validation, data.test!]) expect(split.features.some(Number.isNaN)).toBe(false);
  });

  it("under 'mean' the preprocessing keeps the fill, so Predict and the exports fill a missing value as training did", () => {
    const data = prepareData(spec({ missing: 'mean' }), 0.2, 0.1, 1);
    const fill = data.summary.preprocessing.fill!;
    expect(fill).toHaveLength(4);
    // b's fill is the mean of the training rows' b; standardising, the fill equals the fitted mean.
    const p = data.summary.preprocessing;
    if (p.kind !== 'standardize') throw new Error(`expected standardize, got ${p.kind}`);
    expect(fill[1]).toBeCloseTo(p.mean[1]!, 3);
    expect(fill[1]).toBeGreaterThan(0);
    // The other policies carry none: a missing value stays refused.
    expect(prepareData(spec({ missing: 'drop-rows' }), 0.2, 0.1, 1).summary.preprocessing.fill).toBeUndefined();
  });

  it('hands the input columns on with the model (the encoding Predict needs), none for generated data', () => {
    const data = prepareData(spec({ missing: 'drop-rows', categoricalEncoding: 'index' }), 0.2, 0.1, 1);
    expect(data.summary.inputColumns).toEqual([
      { name: 'a', kind: 'numeric' },
      { name: 'b', kind: 'numeric' },
      { name: 'colour', kind: 'categorical', categories: ['green', 'red'], encoding: 'index' },
    ]);
    expect(prepareData({ kind: 'synthetic', name: 'blobs', seed: 1 }, 0.2, 0.1, 1).summary).not.toHaveProperty('inputColumns');
  });

  it('refuses a categorical column with more categories than a model can carry', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `c${i},${i % 2}`);
    const bytes = new TextEncoder().encode(`city,label\n${rows.join('\n')}\n`).buffer as ArrayBuffer;
    expect(() => prepareData({ kind: 'csv', label: 'cities', bytes, labelColumn: null }, 0.2, 0, 1)).toThrow(/at most 256/);
  });
});
