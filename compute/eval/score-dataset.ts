import type { Dataset } from '../data/dataset';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics';
import { regressionMetrics, type RegressionMetrics } from './regression-metrics';

export type DatasetMetrics = ({ readonly task: 'classification' } & ClassificationMetrics) | ({ readonly task: 'regression' } & RegressionMetrics);

/**
 * Scores a model's primary output over a dataset: a classifier's logits (width = its class count;
 * labels must fall inside it) or a regressor's values against the targets.
 */
export function scoreDataset(dataset: Dataset, outputs: ArrayLike<number>, width: number): DatasetMetrics {
  if (dataset.task === 'classification') {
    return { task: 'classification', ...classificationMetrics({ outputs, kind: 'logits', labels: dataset.labels, classes: width }) };
  }
  return { task: 'regression', ...regressionMetrics(outputs, dataset.labels, width) };
}
