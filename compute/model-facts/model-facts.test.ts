import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { cnnClassifier, mlpClassifier, residualCnn, residualMlp } from '../graph/examples';
import { layerLabels } from '../graph/layer-labels';
import type { Graph } from '../graph/types';
import { initParameters } from '../model/init';
import { buildModelPlan } from '../model/plan';
import { validateGraph } from '../validate/validate-graph';
import { modelFacts } from './model-facts';
import type { LayerFacts, ModelFacts } from './types';

function factsOf(graph: Graph): ModelFacts {
  const result = modelFacts(graph);
  if (!result.ok) throw new Error(`expected facts, got problems: ${result.problems.map((p) => p.message).join('; ')}`);
  return result;
}

function layer(facts: ModelFacts, nodeId: string): LayerFacts {
  const found = facts.layers.find((l) => l.nodeId === nodeId);
  if (!found) throw new Error(`no facts for ${nodeId}`);
  return found;
}

describe('modelFacts on a Dense MLP 4-8-3', () => {
  // Input [4] -> Dense 8 -> ReLU -> Dense 3 -> SoftmaxCrossEntropy <- Labels
  const facts = factsOf(mlpClassifier(4, [8], 3));

  it('counts weights and biases: 4·8+8 + 8·3+3 = 67', () => {
    expect(layer(facts, 'dense1')).toMatchObject({ trainableParams: 40, nonTrainableParams: 0, params: 40 });
    expect(layer(facts, 'dense2')).toMatchObject({ trainableParams: 27, params: 27 });
    expect(layer(facts, 'relu1').params).toBe(0);
    expect(facts.totals).toMatchObject({ trainableParams: 67, nonTrainableParams: 0, params: 67 });
  });

  it('counts forward FLOPs per example: 2·in·out + out for Dense, 1 per element for ReLU, 6 per logit for the loss', () => {
    expect(layer(facts, 'input1').forwardFlops).toBe(0);
    expect(layer(facts, 'dense1').forwardFlops).toBe(2 * 4 * 8 + 8);
    expect(layer(facts, 'relu1').forwardFlops).toBe(8);
    expect(layer(facts, 'dense2').forwardFlops).toBe(2 * 8 * 3 + 3);
    expect(layer(facts, 'softmaxcrossentropy1').forwardFlops).toBe(6 * 3);
    expect(facts.totals.forwardFlops).toBe(72 + 8 + 51 + 18);
  });

  it('counts training FLOPs as 3× forward for layers with weights and 2× for the rest', () => {
    expect(layer(facts, 'dense1').trainingFlops).toBe(3 * 72);
    expect(layer(facts, 'relu1').trainingFlops).toBe(2 * 8);
    expect(facts.totals.trainingFlops).toBe(3 * 72 + 2 * 8 + 3 * 51 + 2 * 18);
  });

  it('reports activation memory per example and weight memory with and without Adam', () => {
    expect(layer(facts, 'input1').activationBytes).toBe(4 * 4);
    expect(layer(facts, 'dense1').activationBytes).toBe(8 * 4);
    expect(layer(facts, 'labels1').activationBytes).toBe(4); // one class index
    expect(layer(facts, 'softmaxcrossentropy1').activationBytes).toBe(0);
    expect(facts.totals.activationBytes).toBe(16 + 32 + 32 + 12 + 4);
    expect(layer(facts, 'dense1')).toMatchObject({ weightBytes: 160, adamStateBytes: 320 });
    expect(facts.totals).toMatchObject({ weightBytes: 67 * 4, adamStateBytes: 67 * 8, weightAndAdamBytes: 67 * 12 });
  });

  it('names layers as people see them, with output shapes, in topological order', () => {
    expect(facts.layers.map((l) => [l.nodeId, l.label, l.type])).toEqual(
      expect.arrayContaining([
        ['dense1', 'Dense 1', 'Dense'],
        ['dense2', 'Dense 2', 'Dense'],
        ['softmaxcrossentropy1', 'Softmax cross-entropy 1', 'SoftmaxCrossEntropy'],
      ]),
    );
    expect(layer(facts, 'dense2').outputShape).toEqual([3]);
    expect(layer(facts, 'softmaxcrossentropy1').outputShape).toBeUndefined();
    const graph = mlpClassifier(4, [8], 3);
    const position = new Map(facts.layers.map((l, i) => [l.nodeId, i]));
    expect(position.size).toBe(graph.nodes.length);
    for (const edge of graph.edges) expect(position.get(edge.source)!).toBeLessThan(position.get(edge.target)!);
  });

  it('uses labels the caller passes, e.g. the editor custom names', () => {
    const graph = mlpClassifier(4, [8], 3);
    const labels = layerLabels(graph.nodes.map((n) => (n.id === 'dense2' ? { ...n, label: 'Classifier head' } : n)));
    const result = modelFacts(graph, { labels });
    expect(result.ok && layer(result, 'dense2').label).toBe('Classifier head');
    expect(result.ok && layer(result, 'dense1').label).toBe('Dense 1');
  });
});

describe('modelFacts on a small CNN', () => {
  // Input [8, 8, 1] -> Conv2D 4 filters 3x3 valid -> ReLU -> MaxPool 2/2 -> Flatten -> Dense 2 -> loss
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [8, 8, 1] });
  x = g.then(x, 'Conv2D', { filters: 4, kernelSize: 3 });
  x = g.then(x, 'ReLU');
  x = g.then(x, 'MaxPool2D', { poolSize: 2, stride: 2 });
  x = g.then(x, 'Flatten');
  x = g.then(x, 'Dense', { units: 2 });
  const labels = g.add('Labels');
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(x, loss, 'logits');
  g.connect(labels, loss, 'labels');
  const facts = factsOf(g.build());

  it('convolution: output 6x6x4, 3·3·1·4+4 params, 6·6·4·(2·3·3·1+1) FLOPs', () => {
    expect(layer(facts, 'conv2d1')).toMatchObject({ outputShape: [6, 6, 4], params: 40, forwardFlops: 6 * 6 * 4 * 19, trainingFlops: 3 * 2736 });
    expect(layer(facts, 'conv2d1').activationBytes).toBe(144 * 4);
  });

  it('pooling: output 3x3x4 at 2·2 FLOPs per output element, no parameters, 2× for training', () => {
    expect(layer(facts, 'maxpool2d1')).toMatchObject({ outputShape: [3, 3, 4], params: 0, forwardFlops: 36 * 4, trainingFlops: 2 * 144 });
  });

  it('Flatten is a view: no FLOPs and no activation memory of its own', () => {
    expect(layer(facts, 'flatten1')).toMatchObject({ outputShape: [36], forwardFlops: 0, activationBytes: 0 });
  });

  it('adds up the whole model', () => {
    expect(layer(facts, 'dense1')).toMatchObject({ params: 36 * 2 + 2, forwardFlops: 2 * 36 * 2 + 2 });
    expect(facts.totals.params).toBe(40 + 74);
    expect(facts.totals.forwardFlops).toBe(2736 + 144 + 144 + 0 + 146 + 12);
    expect(facts.totals.trainingFlops).toBe(3 * 2736 + 2 * 144 + 2 * 144 + 3 * 146 + 2 * 12);
    expect(facts.totals.activationBytes).toBe(4 * (64 + 144 + 144 + 36 + 0 + 2 + 1));
  });

  it("'same' padding with stride 2 and a convolution without bias", () => {
    // Input [5, 5, 2] -> Conv2D 3 filters 3x3 stride 2 same -> [3, 3, 3]; 1x1 Conv2D 2 filters without bias -> [3, 3, 2]; AvgPool 2/2 same -> [2, 2, 2]
    const b = new GraphBuilder();
    let y = b.add('Input', { shape: [5, 5, 2] });
    y = b.then(y, 'Conv2D', { filters: 3, kernelSize: 3, stride: 2, padding: 'same' });
    const conv = y;
    y = b.then(y, 'Conv2D', { filters: 2, kernelSize: 1, useBias: false });
    y = b.then(y, 'AvgPool2D', { poolSize: 2, stride: 2, padding: 'same' });
    y = b.then(b.then(y, 'Flatten'), 'Dense', { units: 2 });
    const target = b.add('Labels');
    const head = b.add('SoftmaxCrossEntropy');
    b.connect(y, head, 'logits');
    b.connect(target, head, 'labels');
    const same = factsOf(b.build());
    expect(layer(same, conv)).toMatchObject({ outputShape: [3, 3, 3], params: 3 * 3 * 2 * 3 + 3, forwardFlops: 9 * 3 * (2 * 9 * 2 + 1) });
    expect(layer(same, 'conv2d2')).toMatchObject({ outputShape: [3, 3, 2], params: 3 * 2, forwardFlops: 9 * 2 * (2 * 3) });
    expect(layer(same, 'avgpool2d1')).toMatchObject({ outputShape: [2, 2, 2], forwardFlops: 8 * 4 });
  });
});

describe('modelFacts on BatchNorm', () => {
  it('counts scale and shift as trainable and the running mean and variance as non-trainable', () => {
    // Input [6] -> Dense 4 -> BatchNorm -> MSE <- Labels (values [4])
    const g = new GraphBuilder();
    const bn = g.then(g.then(g.add('Input', { shape: [6] }), 'Dense', { units: 4 }), 'BatchNorm');
    const targets = g.add('Labels', { encoding: 'values', shape: [4] });
    const loss = g.add('MSE');
    g.connect(bn, loss, 'predictions');
    g.connect(targets, loss, 'targets');
    const facts = factsOf(g.build());
    expect(layer(facts, bn)).toMatchObject({
      trainableParams: 8,
      nonTrainableParams: 8,
      params: 16,
      forwardFlops: 7 * 4,
      trainingFlops: 3 * 28,
      weightBytes: 16 * 4,
      adamStateBytes: 2 * 8 * 4, // no moments for the running statistics
    });
    expect(layer(facts, 'mse1').forwardFlops).toBe(3 * 4);
    expect(facts.totals).toMatchObject({ trainableParams: 6 * 4 + 4 + 8, nonTrainableParams: 8, params: 44 });
  });

  it('normalises over the channel axis of an image', () => {
    const g = new GraphBuilder();
    const bn = g.then(g.add('Input', { shape: [2, 2, 3] }), 'BatchNorm');
    const logits = g.then(g.then(bn, 'Flatten'), 'Dense', { units: 2 });
    const labels = g.add('Labels');
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(labels, loss, 'labels');
    expect(layer(factsOf(g.build()), bn)).toMatchObject({ trainableParams: 6, nonTrainableParams: 6, forwardFlops: 7 * 12 });
  });
});

describe('modelFacts on merges and multi-axis Dense', () => {
  it('a residual Add costs 1 FLOP per element and adds no parameters', () => {
    // Input [5] -> Dense 5 -> Add(a: input, b: dense) -> Dense 2 -> loss
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [5] });
    const branch = g.then(input, 'Dense', { units: 5 });
    const sum = g.add('Add');
    g.connect(input, sum, 'a');
    g.connect(branch, sum, 'b');
    const logits = g.then(sum, 'Dense', { units: 2 });
    const labels = g.add('Labels');
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(labels, loss, 'labels');
    const facts = factsOf(g.build());
    expect(layer(facts, sum)).toMatchObject({ outputShape: [5], params: 0, forwardFlops: 5, trainingFlops: 10, activationBytes: 20 });
    expect(facts.totals.params).toBe(30 + 12);
  });

  it('Dense over the last axis repeats its work for every leading row', () => {
    // Input [3, 4] -> Dense 2 -> [3, 2]: 3 rows of 2·4·2 + 2
    const g = new GraphBuilder();
    const dense = g.then(g.add('Input', { shape: [3, 4] }), 'Dense', { units: 2 });
    const logits = g.then(g.then(dense, 'Flatten'), 'Dense', { units: 2 });
    const labels = g.add('Labels');
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(labels, loss, 'labels');
    expect(layer(factsOf(g.build()), dense)).toMatchObject({ outputShape: [3, 2], params: 10, forwardFlops: 3 * (2 * 4 * 2 + 2) });
  });
});

describe('modelFacts agrees with the model the trainer builds', () => {
  it.each([
    ['cnnClassifier', cnnClassifier()],
    ['residualMlp(9)', residualMlp(9)],
    ['residualCnn(8)', residualCnn(8)],
  ])('%s: parameter totals equal the values initParameters allocates', (_name, graph) => {
    const facts = factsOf(graph);
    const parameters = initParameters(buildModelPlan(graph), { seed: 1 });
    let trainable = 0;
    let all = 0;
    for (const spec of buildModelPlan(graph).params) {
      const size = parameters.get(spec.name)!.data.length;
      all += size;
      if (spec.trainable) trainable += size;
    }
    expect(facts.totals.params).toBe(all);
    expect(facts.totals.trainableParams).toBe(trainable);
    expect(facts.layers).toHaveLength(graph.nodes.length);
  });
});

describe('modelFacts on a graph that does not validate', () => {
  it('returns every problem the validator finds and no numbers', () => {
    const g = new GraphBuilder();
    g.then(g.add('Input', { shape: [4] }), 'Conv2D'); // Conv2D needs an image: SHAPE_MISMATCH
    g.add('Dense'); // nothing connected: UNCONNECTED_INPUT; and there is no loss: NO_LOSS
    const graph = g.build();
    const result = modelFacts(graph);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('layers');
    expect(result).not.toHaveProperty('totals');
    const problems = result.ok ? [] : result.problems;
    expect(problems.map((p) => p.code).sort()).toEqual(['NO_LOSS', 'SHAPE_MISMATCH', 'UNCONNECTED_INPUT']);
    expect(problems).toEqual(validateGraph(graph).problems);
  });
});
