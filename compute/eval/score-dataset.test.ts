import { describe, expect, it } from 'vitest';
import type { ClassificationDataset, RegressionDataset } from '../data/dataset';
import { scoreDataset } from './score-dataset';

describe('scoreDataset', () => {
  it('scores a classification dataset from logits', () => {
    const dataset: ClassificationDataset = {
      task: 'classification', size: 3, featureShape: [1], features: new Float32Array(3), labels: Int32Array.from([0, 1, 1]), numClasses: 2, classNames: ['no', 'yes'],
    };
    // P(yes) rises with the second logit: rows score .12 .5 .88; both "yes" rows outscore the "no" row.
    const m = scoreDataset(dataset, Float32Array.from([1, -1, 0, 0, -1, 1]), 2);
    expect(m.task).toBe('classification');
    if (m.task !== 'classification') return;
    expect(m.confusion).toEqual([
      [1, 0],
      [1, 1],
    ]);
    expect(m.roc.macroAuc).toBe(1);
  });

  it('scores a regression dataset against its targets', () => {
    const dataset: RegressionDataset = { task: 'regression', size: 2, featureShape: [1], features: new Float32Array(2), labels: Float32Array.from([1, 3]), labelShape: [1] };
    const m = scoreDataset(dataset, Float32Array.from([2, 3]), 1);
    expect(m).toMatchObject({ task: 'regression', mse: 0.5, mae: 0.5, r2: 0.5 });
  });
});
