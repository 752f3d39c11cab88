import { describe, expect, it } from 'vitest';
import type { ClassificationDataset } from '../data/dataset';
import { featureSize } from '../data/dataset';
import { splitDataset } from '../data/split';
import { makeBlobs } from '../data/synthetic';
import { mlpClassifier } from '../graph/examples';
import { useTestGpu } from '../gpu/test-gpu';
import { holdOut } from './holdout';
import { train } from './train';
import { TrainError } from './train-error';

const gpu = useTestGpu();
const data = () => makeBlobs({ pointsPerClass: 40, numFeatures: 4, numClasses: 3, seed: 11 });

const rowKeys = (d: ClassificationDataset) => Array.from({ length: d.size }, (_, r) => Array.from(d.features.subarray(r * featureSize(d), (r + 1) * featureSize(d))).join(','));

describe('train / validation / test split', () => {
  it('splits into disjoint stratified sets, and without a test share matches the plain validation split', () => {
    const all = data();
    const { train: t, validation: v, test } = holdOut(all, { validationFraction: 0.2, testFraction: 0.2, seed: 4 });
    expect([t.size, v!.size, test!.size]).toEqual([72, 24, 24]);
    const keys = [t, v!, test!].map((d) => new Set(rowKeys(d)));
    expect(new Set([...keys[0]!, ...keys[1]!, ...keys[2]!]).size).toBe(120);
    for (const d of [v!, test!]) for (let k = 0; k < 3; k++) expect(d.labels.filter((l) => l === k)).toHaveLength(8);

    const plain = splitDataset(all, { validationFraction: 0.25, seed: 4, stratify: true });
    const same = holdOut(all, { validationFraction: 0.25, testFraction: 0, seed: 4 });
    expect(rowKeys(same.validation!)).toEqual(rowKeys(plain.validation));
    expect(same.test).toBeUndefined();

    expect(() => holdOut(all, { validationFraction: 0.5, testFraction: 0.5, seed: 1 })).toThrow(TrainError);
    try {
      holdOut(all, { validationFraction: 0.6, testFraction: 0.4, seed: 1 });
    } catch (e) {
      expect((e as TrainError).code).toBe('INVALID_CONFIG');
      expect((e as TrainError).field).toBe('testFraction');
    }
  });

  it('never trains or early-stops on the test rows: changing them changes the test score and nothing else', async () => {
    const original = data();
    const config = {
      epochs: 6, batchSize: 16, seed: 5, validationFraction: 0.2, testFraction: 0.2,
      optimizer: { type: 'adam' as const, lr: 0.05 }, earlyStopping: { enabled: true, patience: 2 },
    };
    // The same dataset with every test row's features replaced (labels kept, so the split is the same).
    const testRows = new Set(rowKeys(holdOut(original, { validationFraction: 0.2, testFraction: 0.2, seed: 5 }).test!));
    const width = featureSize(original);
    const features = Float32Array.from(original.features);
    rowKeys(original).forEach((key, r) => {
      if (testRows.has(key)) for (let j = 0; j < width; j++) features[r * width + j] = 40 * Math.cos(r + j);
    });
    const changed = { ...original, features };

    const a = train(mlpClassifier(4, [8], 3), original, config, { device: gpu().runtime });
    const b = train(mlpClassifier(4, [8], 3), changed, config, { device: gpu().runtime });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.test!.samples).toBe(24);
    expect(ra.validation!.samples).toBe(24);
    expect(ra.test!.confusion!.flat().reduce((x, y) => x + y, 0)).toBe(24);
    expect(rb.test!.loss).not.toBeCloseTo(ra.test!.loss, 3);
    expect(rb.epochs.map((e) => [e.loss, e.validationLoss])).toEqual(ra.epochs.map((e) => [e.loss, e.validationLoss]));
    expect(rb.earlyStopping).toEqual(ra.earlyStopping);
    expect(rb.validation!.loss).toBe(ra.validation!.loss);
    const [wa, wb] = await Promise.all([a.getWeights(), b.getWeights()]);
    for (const [name, t] of wa) expect(Array.from(wb.get(name)!.data), name).toEqual(Array.from(t.data));
    a.dispose();
    b.dispose();
  });
});
