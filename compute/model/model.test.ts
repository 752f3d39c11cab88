import { describe, expect, it } from 'vitest';
import { cnnClassifier, mlpClassifier } from '../graph/examples';
import { backward } from './backward';
import { forward } from './forward';
import { initParameters } from './init';
import { ModelError } from './model-error';
import { createOptimizerState, currentLearningRate, optimizerStep } from './optimizer';
import { buildModelPlan } from './plan';
import { everyLayerGraph } from './testing/every-layer-graph';

describe('buildModelPlan', () => {
  it('names parameters <node>.<role> with our layouts and marks BatchNorm statistics as buffers', () => {
    const plan = buildModelPlan(everyLayerGraph());
    const byName = new Map(plan.params.map((p) => [p.name, p]));
    expect(byName.get('conv2d1.weight')?.shape).toEqual([3, 3, 2, 3]);
    expect(byName.get('conv2d2.weight')?.shape).toEqual([1, 1, 2, 3]);
    expect(byName.get('dense1.weight')?.shape).toEqual([54, 8]);
    expect(byName.get('dense2.weight')?.shape).toEqual([4, 3]);
    expect(byName.has('dense3.bias')).toBe(false);
    expect(plan.params.filter((p) => !p.trainable).map((p) => p.name)).toEqual(['batchnorm1.running_mean', 'batchnorm1.running_var']);
    expect(plan.outputs.map((o) => [o.lossType, o.source])).toEqual([
      ['SoftmaxCrossEntropy', 'dense3'],
      ['MSE', 'softmax1'],
    ]);
  });

  it('refuses an invalid graph with the validator message and node id', () => {
    const graph = mlpClassifier(4, [3], 2);
    const broken = { ...graph, edges: graph.edges.filter((e) => e.target !== 'dense1') };
    try {
      buildModelPlan(broken);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).code).toBe('INVALID_GRAPH');
      expect((error as ModelError).nodeId).toBe('dense1');
      expect((error as ModelError).message).toMatch(/needs something connected/);
    }
  });
});

describe('initParameters', () => {
  const plan = buildModelPlan(cnnClassifier([8, 8, 1], 3));

  it('gives identical weights for the same seed and different ones for another seed', () => {
    const a = initParameters(plan, { seed: 1 });
    const b = initParameters(plan, { seed: 1 });
    const c = initParameters(plan, { seed: 2 });
    for (const [name, t] of a) expect(Array.from(t.data), name).toEqual(Array.from(b.get(name)!.data));
    expect(Array.from(a.get('dense1.weight')!.data)).not.toEqual(Array.from(c.get('dense1.weight')!.data));
  });

  it('scales He (normal) and Glorot (uniform) by fan-in and fan-out', () => {
    const params = initParameters(plan, { seed: 3, dtype: 'float64' });
    // dense1 uses He: [4*4*32... ] flattened input to 64 units.
    const he = params.get('dense1.weight')!;
    const fanIn = he.shape[0]!;
    const variance = Array.from(he.data).reduce((s, v) => s + v * v, 0) / he.data.length;
    expect(variance).toBeGreaterThan(0.85 * (2 / fanIn));
    expect(variance).toBeLessThan(1.15 * (2 / fanIn));
    const glorot = params.get('dense2.weight')!; // default init
    const limit = Math.sqrt(6 / (glorot.shape[0]! + glorot.shape[1]!));
    const maxAbs = Math.max(...Array.from(glorot.data, Math.abs));
    expect(maxAbs).toBeLessThanOrEqual(limit);
    expect(maxAbs).toBeGreaterThan(0.8 * limit);
    expect(Array.from(params.get('dense2.bias')!.data).every((v) => v === 0)).toBe(true);
  });

  it('keeps a layer’s weights when an unrelated layer is added', () => {
    const small = initParameters(buildModelPlan(mlpClassifier(4, [5], 2)), { seed: 9 });
    const big = initParameters(buildModelPlan(mlpClassifier(4, [5, 6], 2)), { seed: 9 });
    expect(Array.from(big.get('dense1.weight')!.data)).toEqual(Array.from(small.get('dense1.weight')!.data));
  });
});

describe('forward modes', () => {
  const plan = buildModelPlan(everyLayerGraph());
  const feed = {
    batch: 2,
    inputs: { image: Float32Array.from({ length: 2 * 72 }, (_, i) => Math.sin(i)) },
    labels: { classes: [1, 3], targets: new Float32Array(8) },
  };

  it('replays dropout with the same seed, and inference is deterministic and label-free', () => {
    const params = initParameters(plan, { seed: 1 });
    const a = forward(plan, params, feed, { training: true, seed: 1 }).values.get('dropout1')!;
    const b = forward(plan, params, feed, { training: true, seed: 1 }).values.get('dropout1')!;
    const c = forward(plan, params, feed, { training: true, seed: 2 }).values.get('dropout1')!;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect(Array.from(a).filter((v) => v === 0).length).toBeGreaterThan(10);
    const inference = forward(plan, params, { batch: 2, inputs: feed.inputs }, { training: false });
    expect(inference.loss).toBeUndefined();
    expect(inference.values.get('dropout1')).toBe(inference.values.get('flatten1'));
    expect(() => backward(inference, params)).toThrow(/needs a forward pass with labels/);
  });

  it('updates BatchNorm running statistics only in training, with momentum = fraction kept', () => {
    const params = initParameters(plan, { seed: 1 });
    const mean = params.get('batchnorm1.running_mean')!.data;
    forward(plan, params, feed, { training: false });
    expect(Array.from(mean)).toEqual([0, 0, 0]);
    const pass = forward(plan, params, feed, { training: true });
    const conv = pass.values.get('conv2d1')!;
    const batchMean0 = Array.from(conv).filter((_, i) => i % 3 === 0).reduce((s, v) => s + v, 0) / (conv.length / 3);
    expect(mean[0]).toBeCloseTo(0.2 * batchMean0, 6); // momentum 0.8 keeps 80% of the old 0
  });

  it('reports a wrongly sized batch on the node it belongs to', () => {
    const params = initParameters(plan, { seed: 1 });
    expect(() => forward(plan, params, { ...feed, batch: 3 }, { training: false })).toThrow(/Input 'image' got 144 values; 3 examples of shape \[6, 6, 2\] need 216/);
    params.delete('dense1.weight');
    expect(() => forward(plan, params, feed, { training: false })).toThrow(/Parameter 'dense1.weight' is missing/);
  });
});

describe('optimizerStep', () => {
  const plan = buildModelPlan(mlpClassifier(3, [], 2));

  it('follows the LR schedule and counts steps', () => {
    const params = initParameters(plan, { seed: 1 });
    const state = createOptimizerState(plan, params, { type: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false }, { type: 'step', stepSize: 2, gamma: 0.5 });
    const grads = new Map([
      ['dense1.weight', new Float64Array(6).fill(1)],
      ['dense1.bias', new Float64Array(2).fill(1)],
    ]);
    const before = params.get('dense1.bias')!.data[0]!;
    const lrs = [0, 1, 2, 3].map(() => optimizerStep(state, params, grads));
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.05]);
    expect(state.step).toBe(4);
    expect(currentLearningRate(state)).toBeCloseTo(0.025);
    expect(params.get('dense1.bias')!.data[0]).toBeCloseTo(before - 0.3, 6);
  });

  it('applies Nesterov momentum as PyTorch does and rejects missing gradients', () => {
    const params = initParameters(plan, { seed: 1, dtype: 'float64' });
    const state = createOptimizerState(plan, params, { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: true });
    const bias = params.get('dense1.bias')!.data;
    const grads = new Map([
      ['dense1.weight', new Float64Array(6)],
      ['dense1.bias', Float64Array.of(1, 0)],
    ]);
    optimizerStep(state, params, grads); // v = 1, update = g + 0.9 v = 1.9
    optimizerStep(state, params, grads); // v = 1.9, update = 1 + 1.71 = 2.71
    expect(bias[0]).toBeCloseTo(-0.1 * (1.9 + 2.71), 12);
    expect(() => optimizerStep(state, params, new Map())).toThrow(/No gradient was given for 'dense1.weight'/);
  });
});
