import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csv';
import { applyNormalizer, fitNormalizer } from '../data/normalize';
import { splitDataset } from '../data/split';
import { mlpClassifier } from '../graph/examples';
import { useTestGpu } from '../gpu/test-gpu';
import { train } from './train';

const gpu = useTestGpu();

/** End to end on Dawn: a 64-64-10 MLP on scikit-learn's digits, 20% held out with a seeded split. */
describe('digits end to end', () => {
  it('reaches at least 95% validation accuracy', async () => {
    const dataset = parseCsv(readFileSync(path.resolve(process.cwd(), '../shared/datasets/digits.csv'), 'utf8'), { header: false });
    const { train: trainSet, validation } = splitDataset(dataset, { validationFraction: 0.2, seed: 1, stratify: true });
    const normalizer = fitNormalizer(trainSet, 'minmax', { per: 'all' });
    const data = { train: applyNormalizer(trainSet, normalizer), validation: applyNormalizer(validation, normalizer) };
    const started = performance.now();
    const run = train(mlpClassifier(64, [64], 10), data, {
      epochs: 12,
      batchSize: 32,
      seed: 3,
      optimizer: { type: 'adam', lr: 0.01 },
      schedule: { type: 'cosine', totalSteps: 12 * 44, minLr: 0.0005 },
      metricsEvery: 11,
      evaluateEveryEpoch: false,
    }, { device: gpu().runtime });
    const result = await run.done;
    const seconds = (performance.now() - started) / 1000;
    const evaluation = result.validation!;
    console.log(`digits: validation accuracy ${(evaluation.accuracy! * 100).toFixed(1)}% in ${seconds.toFixed(1)} s (${result.steps} steps)`);
    expect(evaluation.samples).toBe(validation.size);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.perClassAccuracy!.every((a) => a !== null && a > 0.8)).toBe(true);
    run.dispose();
  }, 120_000);
});
