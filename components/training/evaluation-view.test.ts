import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { makeBlobs, type ClassificationDataset, type RegressionDataset } from '@/compute/data';
import { scoreClassification } from '@/compute/train';
import { boundaryPlot } from './decision-plot';
import { EvaluationView } from './EvaluationView';
import { evaluationMetrics } from './evaluation-metrics';
import type { EvaluationReport } from './protocol';

const classNames = ['setosa', 'versicolor', 'virginica'];

function report(dataset: ClassificationDataset, logits: Float32Array): EvaluationReport {
  const e = scoreClassification(logits, dataset.labels, 3, 3);
  return {
    samples: e.samples, loss: e.loss, accuracy: e.accuracy ?? null, confusion: e.confusion ?? null, perClassAccuracy: e.perClassAccuracy ?? null,
    metrics: evaluationMetrics(dataset, e.outputs!, 3), boundary: null, classNames, predictions: [], test: null,
  };
}

const dataset: ClassificationDataset = {
  task: 'classification', size: 4, featureShape: [1], features: new Float32Array(4), labels: Int32Array.from([0, 1, 2, 2]), numClasses: 3, classNames,
};
// Argmaxes 0, 1, 1, 2: one virginica taken for versicolor.
const logits = Float32Array.from([3, 1, 0, 0, 2, 1, 0, 2, 1, -1, 0, 4]);

describe('EvaluationView', () => {
  it('shows the classification report with averages, the confusion matrix and a ROC curve per class', () => {
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: report(dataset, logits) }));
    expect(html).toContain('Per-class precision, recall (per-class accuracy) and F1');
    expect(html).toContain('macro avg');
    expect(html).toContain('weighted avg');
    // versicolor: predicted twice, right once -> precision 50.0%.
    expect(html).toMatch(/versicolor<\/th><td>50\.0%<\/td>/);
    expect(html).toContain('aria-label="Confusion matrix: rows are true classes, columns predicted classes"');
    expect(html).toContain('data-testid="roc-chart"');
    expect(html.match(/<polyline/g)).toHaveLength(3);
    expect(html).toContain('setosa (AUC 1.000)');
    expect(html).toContain('Macro AUC');
  });

  it('offers the held-out test split next to validation, showing validation first', () => {
    const validation = report(dataset, logits);
    const { test: _none, ...testSplit } = report(dataset, Float32Array.from([3, 1, 0, 0, 2, 1, 0, 1, 2, 0, 0, 4]));
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: { ...validation, test: { ...testSplit, samples: 4 } } }));
    expect(html).toContain('aria-label="Split to show"');
    expect(html).toMatch(/aria-pressed="true">validation \(4\)/);
    expect(html).toMatch(/aria-pressed="false">test \(4\)/);
    expect(html).toContain('Validation: <strong>75.0%</strong>');
    // Without a test split there is nothing to switch.
    expect(renderToStaticMarkup(createElement(EvaluationView, { report: validation }))).not.toContain('Split to show');
  });

  it('marks a class that is never predicted instead of inventing its precision', () => {
    // Every row predicts setosa or versicolor; virginica is never predicted.
    const never = Float32Array.from([3, 1, 0, 0, 2, 1, 0, 2, 1, 1, 2, 0]);
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: report(dataset, never) }));
    expect(html).toMatch(/virginica<\/th><td title="never predicted[^"]*">0\.0%\*<\/td>/);
    expect(html).toContain('a class never predicted has no precision');
  });

  it('says why there are no metrics when the outputs are not finite', () => {
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: report(dataset, Float32Array.from([Number.NaN, 0, 0, 0, 2, 1, 0, 2, 1, -1, 0, 4])) }));
    expect(html).toContain('No precision, recall or ROC:');
    expect(html).toContain('diverged');
    expect(html).not.toContain('roc-chart');
  });

  it('draws the decision boundary of a two-feature classifier over its examples', () => {
    const blobs = makeBlobs({ pointsPerClass: 20, seed: 3 });
    // Predicts class 0 below y = 0, class 2 above: two regions, 2,500 cells, 60 dots.
    const plot = boundaryPlot(blobs, (grid) => Float32Array.from({ length: grid.size * 3 }, (_, i) => (i % 3 === (grid.features[Math.floor(i / 3) * 2 + 1]! > 0 ? 2 : 0) ? 4 : 0)), 3);
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: { ...report(dataset, logits), boundary: plot } }));
    expect(html).toContain('data-testid="decision-boundary"');
    expect(html.match(/<rect /g)).toHaveLength(2500);
    expect(html.match(/<circle /g)).toHaveLength(60);
  });

  it('shows MSE, MAE and R² for a regression model', () => {
    const regression: RegressionDataset = { task: 'regression', size: 2, featureShape: [1], features: new Float32Array(2), labels: Float32Array.from([1, 3]), labelShape: [1] };
    const r: EvaluationReport = {
      samples: 2, loss: 0.5, accuracy: null, confusion: null, perClassAccuracy: null, classNames: [], predictions: [],
      metrics: evaluationMetrics(regression, Float32Array.from([2, 3]), 1), boundary: null, test: null,
    };
    const html = renderToStaticMarkup(createElement(EvaluationView, { report: r }));
    expect(html).toContain('mean squared error</th><td>0.5000</td>');
    expect(html).toContain('R²</th><td>0.5000</td>');
  });
});
