import { describe, expect, it } from 'vitest';
import { holdOut } from '../train/holdout';
import type { ClassificationDataset } from './dataset';
import type { DatasetError } from './dataset-error';
import { applyPreprocessing, applyPreprocessingToFeatures, fitPreprocessing, PreprocessingSchema, withMissingFill } from './preprocessing';

function table(rows: number[][]): ClassificationDataset {
  return { task: 'classification', size: rows.length, featureShape: [rows[0]!.length], features: Float32Array.from(rows.flat()), labels: Int32Array.from(rows.map((_, i) => i % 2)), numClasses: 2, classNames: ['a', 'b'] };
}

describe('preprocessing', () => {
  it('standardises each feature with its own mean and population std', () => {
    const p = fitPreprocessing(table([[1, 100], [3, 300], [5, 1700]]), 'standardize');
    if (p.kind !== 'standardize') throw new Error('kind');
    expect(p.mean).toEqual([3, 700]);
    expect(p.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(p.std[1]).toBeCloseTo(Math.sqrt((600 ** 2 + 400 ** 2 + 1000 ** 2) / 3), 9);
    const scaled = applyPreprocessing(table([[3, 700], [5, 1700]]), p).features;
    expect(scaled[0]).toBe(0);
    expect(scaled[1]).toBe(0);
    expect(scaled[2]).toBeCloseTo(2 / Math.sqrt(8 / 3), 5);
  });

  it('min-max scales each feature to [0, 1] of the training rows', () => {
    const p = fitPreprocessing(table([[0, -10], [2, 10], [1, 0]]), 'minmax');
    expect(p).toEqual({ kind: 'minmax', min: [0, -10], max: [2, 10] });
    expect(Array.from(applyPreprocessingToFeatures(p, Float32Array.from([1, 0, 4, 30])))).toEqual([0.5, 0.5, 2, 2]);
  });

  it('keeps constant features finite (std 1, range 1) and none as the identity', () => {
    const data = table([[7, 1], [7, 2]]);
    expect(fitPreprocessing(data, 'standardize')).toMatchObject({ std: [1, 0.5] });
    expect(fitPreprocessing(data, 'minmax')).toMatchObject({ min: [7, 1], max: [8, 2] });
    const none = fitPreprocessing(data, 'none');
    expect(none).toEqual({ kind: 'none', features: 2 });
    expect(Array.from(applyPreprocessing(data, none).features)).toEqual([7, 1, 7, 2]);
  });

  it('fits on the training split only: statistics do not change when the validation rows do', () => {
    const rows = Array.from({ length: 60 }, (_, i) => [i, (i * 7) % 13]);
    const a = table(rows);
    // Same labels and seed give the same split; only the validation rows' values differ.
    const first = holdOut(a, { validationFraction: 0.25, testFraction: 0.1, seed: 3 });
    const trainRows = new Set(Array.from({ length: first.train.size }, (_, r) => first.train.features[r * 2]));
    const changed = table(rows.map((row) => (trainRows.has(row[0]) ? row : [row[0]! * 1000 + 5, -999])));
    const second = holdOut(changed, { validationFraction: 0.25, testFraction: 0.1, seed: 3 });
    expect(Array.from(second.train.features)).toEqual(Array.from(first.train.features));
    expect(Array.from(second.validation!.features)).not.toEqual(Array.from(first.validation!.features));
    for (const kind of ['standardize', 'minmax'] as const) {
      expect(fitPreprocessing(second.train, kind)).toEqual(fitPreprocessing(first.train, kind));
      expect(fitPreprocessing(changed, kind)).not.toEqual(fitPreprocessing(first.train, kind));
    }
  });

  it('round-trips through JSON and refuses malformed statistics', () => {
    const p = fitPreprocessing(table([[1, 2], [3, 5]]), 'standardize');
    expect(PreprocessingSchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
    expect(PreprocessingSchema.safeParse({ kind: 'standardize', mean: [0, 1], std: [1] }).success).toBe(false);
    expect(PreprocessingSchema.safeParse({ kind: 'standardize', mean: [0], std: [0] }).success).toBe(false);
    expect(PreprocessingSchema.safeParse({ kind: 'minmax', min: [1], max: [1] }).success).toBe(false);
  });

  it('fills a NaN with the fill before scaling, and keeps NaN where there is no fill', () => {
    const p = withMissingFill(fitPreprocessing(table([[1, 100], [3, 300], [5, 1700]]), 'standardize'), Float32Array.from([3, 700]));
    expect(p.fill).toEqual([3, 700]);
    // The fill is the training mean, so a filled value standardises to 0.
    const scaled = applyPreprocessingToFeatures(p, Float32Array.from([NaN, 700, 5, NaN]));
    expect([scaled[0], scaled[1], scaled[3]]).toEqual([0, 0, 0]);
    expect(scaled[2]).toBeCloseTo(2 / Math.sqrt(8 / 3), 5);
    const none = withMissingFill({ kind: 'none', features: 2 }, Float32Array.from([1.5, -2]));
    expect(Array.from(applyPreprocessingToFeatures(none, Float32Array.from([NaN, 4, 7, NaN])))).toEqual([1.5, 4, 7, -2]);
    const unfilled = fitPreprocessing(table([[0, -10], [2, 10]]), 'minmax');
    expect(applyPreprocessingToFeatures(unfilled, Float32Array.from([NaN, 0])).some(Number.isNaN)).toBe(true);
    // The fill travels as JSON with the statistics, and must cover every feature.
    expect(PreprocessingSchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
    expect(PreprocessingSchema.safeParse({ ...p, fill: [3] }).success).toBe(false);
    expect(PreprocessingSchema.safeParse({ kind: 'none', features: 2, fill: [1, Infinity] }).success).toBe(false);
  });

  it('refuses rows of another width and fitting on no rows, with codes', () => {
    const p = fitPreprocessing(table([[1, 2], [3, 5]]), 'minmax');
    expect(() => applyPreprocessingToFeatures(p, Float32Array.from([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'PREPROCESSING_FEATURE_MISMATCH' }) as DatasetError);
    expect(() => fitPreprocessing({ ...table([[1]]), size: 0, features: new Float32Array(0) }, 'standardize')).toThrow(expect.objectContaining({ code: 'PREPROCESSING_NO_ROWS' }) as DatasetError);
  });
});
