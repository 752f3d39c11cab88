import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { cnnClassifier, mlpClassifier } from '../graph/examples';
import type { Graph } from '../graph/types';
import { checkDatasetFit, type DatasetFacts } from './dataset-fit';
import { validateGraph } from './validate-graph';

const digits: DatasetFacts = { name: 'Digits (8x8)', featureShape: [64], numClasses: 10 };
const spirals: DatasetFacts = { name: 'Spirals', featureShape: [2], numClasses: 3 };

const check = (graph: Graph, dataset: DatasetFacts) => checkDatasetFit(graph, validateGraph(graph), dataset);

describe('checkDatasetFit', () => {
  it('accepts a model whose Input and logits match the dataset, flat or as an image of the same size', () => {
    expect(check(mlpClassifier(64, [32], 10), digits)).toEqual([]);
    expect(check(cnnClassifier([8, 8, 1], 10), digits)).toEqual([]);
    expect(check(mlpClassifier(2, [8], 3), spirals)).toEqual([]);
  });

  it('puts a feature mismatch on the Input node, naming both shapes', () => {
    const problems = check(mlpClassifier(64, [32], 3), spirals);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'DATASET_FEATURES_MISMATCH', nodeId: 'input1', param: 'shape' });
    expect(problems[0]!.message).toContain('Spirals has 2 features per example [2]');
    expect(problems[0]!.message).toMatch(/^Input 1: takes \[64\] \(64 values\)/);
    expect(problems[0]!.message).not.toContain('input1');
  });

  it('puts a class mismatch on the layer feeding the loss, in either direction', () => {
    const graph = mlpClassifier(64, [32], 10);
    const fewer = check(graph, { name: 'Iris-like', featureShape: [64], numClasses: 3 });
    expect(fewer).toEqual([expect.objectContaining({ code: 'DATASET_CLASSES_MISMATCH', nodeId: 'dense2', param: 'units' })]);
    expect(fewer[0]!.message).toBe('Dense 2: feeds the loss 10 logits but Iris-like has 3 classes; set its units to 3 or choose another dataset');
    const more = check(mlpClassifier(64, [32], 5), digits);
    expect(more.map((p) => [p.code, p.nodeId])).toEqual([['DATASET_CLASSES_MISMATCH', 'dense2']]);
  });

  it('reports both mismatches at once', () => {
    expect(check(mlpClassifier(64, [32], 10), spirals).map((p) => [p.code, p.nodeId])).toEqual([
      ['DATASET_FEATURES_MISMATCH', 'input1'],
      ['DATASET_CLASSES_MISMATCH', 'dense2'],
    ]);
  });

  it('skips the class check for datasets without classes and for regression losses', () => {
    expect(check(mlpClassifier(64, [32], 10), { name: 'Values', featureShape: [64], numClasses: null })).toEqual([]);
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [4] });
    const out = g.then(input, 'Dense', { units: 1 });
    const targets = g.add('Labels', { encoding: 'values', shape: [1] });
    const loss = g.add('MSE');
    g.connect(out, loss, 'predictions');
    g.connect(targets, loss, 'targets');
    expect(check(g.build(), { name: 'Classes', featureShape: [4], numClasses: 3 })).toEqual([]);
  });

  it('leaves alone what validateGraph could not infer', () => {
    const g = new GraphBuilder();
    g.add('Input', { shape: [-3] });
    const graph = g.build();
    expect(validateGraph(graph).ok).toBe(false);
    expect(check(graph, digits)).toEqual([]);
  });
});
