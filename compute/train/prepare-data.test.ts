import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare-data';

describe('prepareData', () => {
  it('holds out a test set next to the validation set, or none with a 0 share', () => {
    const spec = { kind: 'synthetic' as const, name: 'spirals' as const, seed: 1 };
    const data = prepareData(spec, 0.2, 0.1, 3);
    expect([data.train.size, data.validation.size, data.test!.size]).toEqual([420, 120, 60]);
    expect(data.summary).toMatchObject({ trainSize: 420, validationSize: 120, testSize: 60 });
    const none = prepareData(spec, 0.2, 0, 3);
    expect(none.test).toBeUndefined();
    expect(none.summary.testSize).toBe(0);
    expect(none.validation.size).toBe(120);
  });

  it('standardises each feature by default, with statistics of the training rows only', () => {
    const spec = { kind: 'synthetic' as const, name: 'blobs' as const, seed: 2 };
    const data = prepareData(spec, 0.2, 0.1, 3);
    expect(data.summary.preprocessing.kind).toBe('standardize');
    const column = (features: Float32Array, c: number) => Array.from(features).filter((_, i) => i % 2 === c);
    for (const c of [0, 1]) {
      const train = column(data.train.features, c);
      const mean = train.reduce((a, b) => a + b, 0) / train.length;
      const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(std).toBeCloseTo(1, 5);
      // Validation rows are scaled with the training statistics, not their own.
      const validation = column(data.validation.features, c);
      expect(Math.abs(validation.reduce((a, b) => a + b, 0) / validation.length)).toBeGreaterThan(1e-4);
    }
    // The raw validation rows go back through the same constants.
    const p = data.summary.preprocessing;
    if (p.kind !== 'standardize') throw new Error('kind');
    expect(data.validation.features[1]).toBeCloseTo((data.rawValidation.features[1]! - p.mean[1]!) / p.std[1]!, 5);
  });

  it('min-max scales each feature to [0, 1] over the training rows when asked, or leaves rows raw with none', () => {
    const spec = { kind: 'synthetic' as const, name: 'spirals' as const, seed: 1 };
    const data = prepareData(spec, 0.2, 0.1, 3, 'minmax');
    for (const c of [0, 1]) {
      const train = Array.from(data.train.features).filter((_, i) => i % 2 === c);
      expect(Math.min(...train)).toBe(0);
      expect(Math.max(...train)).toBeCloseTo(1, 6);
    }
    const none = prepareData(spec, 0.2, 0.1, 3, 'none');
    expect(none.summary.preprocessing).toEqual({ kind: 'none', features: 2 });
    expect(Array.from(none.validation.features)).toEqual(Array.from(none.rawValidation.features));
  });
});
