import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batches } from '../data/batch';
import { parseCsv } from '../data/csv';
import { applyNormalizer, fitNormalizer } from '../data/normalize';
import { shuffleDataset } from '../data/shuffle';
import { splitDataset } from '../data/split';
import { mlpClassifier } from '../graph/examples';
import { CpuTrainer } from './trainer';

function loadDigits() {
  const text = readFileSync(path.resolve(process.cwd(), '../shared/datasets/digits.csv'), 'utf8');
  const dataset = parseCsv(text, { header: false });
  const { train, validation } = splitDataset(dataset, { validationFraction: 0.2, seed: 1, stratify: true });
  const normalizer = fitNormalizer(train, 'minmax', { per: 'all' });
  return { train: applyNormalizer(train, normalizer), validation: applyNormalizer(validation, normalizer) };
}

describe('CpuTrainer', () => {
  it('trains an MLP on digits to at least 90% validation accuracy', () => {
    const { train, validation } = loadDigits();
    expect(train.task).toBe('classification');
    expect(validation.size).toBeGreaterThan(300);
    const trainer = new CpuTrainer(mlpClassifier(64, [32], 10), {
      seed: 7,
      optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
      schedule: { type: 'cosine', totalSteps: 5 * 36, minLr: 0.001 },
    });
    const before = trainer.evaluate(validation);
    let firstLoss = 0;
    let lastLoss = 0;
    for (let epoch = 0; epoch < 5; epoch++) {
      for (const batch of batches(shuffleDataset(train, epoch), 32)) {
        const { loss } = trainer.trainStep(batch);
        if (trainer.optimizer.step === 1) firstLoss = loss;
        lastLoss = loss;
      }
    }
    const after = trainer.evaluate(validation);
    expect(before.accuracy).toBeLessThan(0.5);
    expect(after.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(lastLoss).toBeLessThan(firstLoss / 4);
    expect(after.loss).toBeLessThan(before.loss);
  });

  it('is reproducible: the same seed gives the same weights after training', () => {
    const { train } = loadDigits();
    const graph = mlpClassifier(64, [16], 10);
    const run = () => {
      const trainer = new CpuTrainer(graph, { seed: 3, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true } });
      let i = 0;
      for (const batch of batches(train, 64)) if (i++ < 5) trainer.trainStep(batch);
      return trainer.params.get('dense2.weight')!.data;
    };
    const a = run();
    const b = run();
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
