import { describe, expect, it } from 'vitest';
import { batchCount, batches, getBatch } from './batch';
import type { ClassificationDataset, RegressionDataset } from './dataset';
import { DatasetError } from './dataset-error';
import { applyNormalizer, fitNormalizer } from './normalize';
import { gaussian, mulberry32, permutation } from './random';
import { shuffleDataset } from './shuffle';
import { splitDataset } from './split';
import { makeBlobs, makeSpirals } from './synthetic';

/** Ten examples whose single feature equals 10 x their label, so pairing can be checked after reordering. */
function tagged(): ClassificationDataset {
  const labels = Int32Array.from({ length: 10 }, (_, i) => i % 2);
  const features = Float32Array.from({ length: 10 }, (_, i) => i * 10 + (i % 2));
  return { task: 'classification', size: 10, featureShape: [1], features, labels, numClasses: 2, classNames: ['a', 'b'] };
}

describe('random', () => {
  it('mulberry32 is deterministic per seed and uniform in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const draws = Array.from({ length: 10_000 }, () => a());
    expect(draws.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(mulberry32(43)()).not.toBe(draws[0]);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it('gaussian has mean ~0 and standard deviation ~1', () => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => gaussian(random));
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('permutation contains every index once', () => {
    const order = permutation(100, mulberry32(1));
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});

describe('synthetic datasets', () => {
  it('spirals: K arms of N points with radius 0..1, reproducible by seed', () => {
    const spirals = makeSpirals({ numClasses: 3, pointsPerClass: 50, seed: 5 });
    expect(spirals.size).toBe(150);
    expect(spirals.featureShape).toEqual([2]);
    expect(Array.from(spirals.labels.subarray(48, 52))).toEqual([0, 0, 1, 1]);
    const radius = Math.hypot(spirals.features[2 * 49]!, spirals.features[2 * 49 + 1]!);
    expect(radius).toBeCloseTo(1, 5);
    expect(makeSpirals({ numClasses: 3, pointsPerClass: 50, seed: 5 }).features).toEqual(spirals.features);
    expect(makeSpirals({ numClasses: 3, pointsPerClass: 50, seed: 6 }).features).not.toEqual(spirals.features);
  });

  it('blobs: points cluster around one centre per class', () => {
    const blobs = makeBlobs({ numClasses: 4, pointsPerClass: 200, numFeatures: 3, spread: 0.5, seed: 2 });
    expect(blobs.size).toBe(800);
    expect(blobs.featureShape).toEqual([3]);
    // Each class's sample spread should match the requested standard deviation.
    const xs = Array.from({ length: 200 }, (_, i) => blobs.features[(200 + i) * 3]!);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(sd).toBeGreaterThan(0.4);
    expect(sd).toBeLessThan(0.6);
  });

  it('rejects impossible options with INVALID_OPTION', () => {
    expect(() => makeSpirals({ numClasses: 1 })).toThrow(DatasetError);
    expect(() => makeBlobs({ spread: -1 })).toThrow('spread must be a number of at least 0 (got -1)');
  });
});

describe('normalisation', () => {
  const data: RegressionDataset = {
    task: 'regression',
    size: 3,
    featureShape: [2],
    features: Float32Array.from([0, 5, 5, 5, 10, 5]),
    labels: Float32Array.from([1, 2, 3]),
    labelShape: [1],
  };

  it('min-max scales each feature to [0, 1] and maps constant features to 0', () => {
    const scaled = applyNormalizer(data, fitNormalizer(data, 'minmax'));
    expect(Array.from(scaled.features)).toEqual([0, 0, 0.5, 0, 1, 0]);
    expect(scaled.labels).toBe(data.labels);
    expect(Array.from(data.features)).toEqual([0, 5, 5, 5, 10, 5]);
  });

  it('z-score gives mean 0 and standard deviation 1', () => {
    const scaled = applyNormalizer(data, fitNormalizer(data, 'zscore'));
    const first = [scaled.features[0]!, scaled.features[2]!, scaled.features[4]!];
    expect(first[0]).toBeCloseTo(-Math.sqrt(1.5), 5);
    expect(first[1]).toBeCloseTo(0, 6);
    expect(first[2]).toBeCloseTo(Math.sqrt(1.5), 5);
  });

  it("per: 'all' fits one scale over every value, e.g. image pixels", () => {
    const normalizer = fitNormalizer(data, 'minmax', { per: 'all' });
    expect(Array.from(applyNormalizer(data, normalizer).features)).toEqual([0, 0.5, 0.5, 0.5, 1, 0.5]);
  });

  it('refuses a normalizer fitted on a different feature count', () => {
    expect(() => applyNormalizer(tagged(), fitNormalizer(data, 'minmax'))).toThrow('fitted on 2 features but the dataset has 1');
  });
});

describe('shuffle, split and batch', () => {
  it('shuffle keeps features and labels paired and is seeded', () => {
    const shuffled = shuffleDataset(tagged(), 3);
    for (let i = 0; i < 10; i++) expect(shuffled.features[i]! % 10).toBe(shuffled.labels[i]);
    expect(Array.from(shuffled.features)).not.toEqual(Array.from(tagged().features));
    expect(shuffleDataset(tagged(), 3).features).toEqual(shuffled.features);
  });

  it('split holds out the requested fraction without overlap', () => {
    const { train, validation } = splitDataset(tagged(), { validationFraction: 0.3, seed: 1 });
    expect(train.size).toBe(7);
    expect(validation.size).toBe(3);
    const all = [...train.features, ...validation.features].sort((a, b) => a - b);
    expect(all).toEqual(Array.from(tagged().features).sort((a, b) => a - b));
  });

  it('stratified split holds out the same share of every class', () => {
    const { validation } = splitDataset(tagged(), { validationFraction: 0.4, seed: 9, stratify: true });
    expect(Array.from(validation.labels).sort()).toEqual([0, 0, 1, 1]);
  });

  it('split rejects fractions outside (0, 1) and splits that leave a side empty', () => {
    expect(() => splitDataset(tagged(), { validationFraction: 1 })).toThrow(DatasetError);
    expect(() => splitDataset(tagged(), { validationFraction: 0.01 })).toThrow('leaves 10 for training and 0 for validation');
  });

  it('batches are zero-copy views, with a short last batch unless dropLast', () => {
    const dataset = tagged();
    expect(batchCount(dataset, 4)).toBe(3);
    expect(batchCount(dataset, 4, { dropLast: true })).toBe(2);
    const all = [...batches(dataset, 4)];
    expect(all.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(Array.from(all[2]!.features)).toEqual([80, 91]);
    expect(Array.from(all[2]!.labels)).toEqual([0, 1]);
    expect(all[0]!.features.buffer).toBe(dataset.features.buffer);
    expect(all[0]!.labels).toBeInstanceOf(Int32Array);
    expect([...batches(dataset, 4, { dropLast: true })]).toHaveLength(2);
  });

  it('regression batches carry float targets', () => {
    const data: RegressionDataset = {
      task: 'regression',
      size: 3,
      featureShape: [1],
      features: Float32Array.from([1, 2, 3]),
      labels: Float32Array.from([0.5, 1, 1.5, 2, 2.5, 3]),
      labelShape: [2],
    };
    expect(Array.from(getBatch(data, 1, 2).labels)).toEqual([2.5, 3]);
  });

  it('rejects bad batch sizes and indexes', () => {
    expect(() => batchCount(tagged(), 0)).toThrow('batchSize must be a whole number of at least 1 (got 0)');
    expect(() => getBatch(tagged(), 3, 4)).toThrow(DatasetError);
  });
});
