import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random';
import { GraphBuilder } from '../graph/builder';
import { mlpClassifier } from '../graph/examples';
import type { Graph } from '../graph/types';
import { useTestGpu } from '../gpu/test-gpu';
import type { z } from 'zod';
import type { OptimizerSchema } from '../layers/optimizers';
import type { Feed } from '../model/feed';
import { everyLayerGraph } from '../model/testing/every-layer-graph';
import { CpuTrainer } from '../model/trainer';
import { GpuEngine } from './gpu-engine';

/**
 * The GPU engine against compute/model's CPU executor (the oracle): same graph, same seed, same
 * batches; after a few steps the losses and every parameter must agree to f32 accuracy.
 */
const gpu = useTestGpu();

function randomFeed(graph: Graph, batch: number, seed: number): Feed {
  const random = mulberry32(seed);
  const inputs: Record<string, Float32Array> = {};
  const labels: Record<string, Int32Array | Float32Array> = {};
  for (const node of graph.nodes) {
    const shape = (node.params?.['shape'] as number[] | undefined) ?? [1];
    const size = shape.reduce((a, b) => a * b, 1);
    if (node.type === 'Input') inputs[node.id] = Float32Array.from({ length: batch * size }, () => random() * 2 - 1);
    if (node.type === 'Labels' && node.params?.['encoding'] === 'values') labels[node.id] = Float32Array.from({ length: batch * size }, () => random());
    if (node.type === 'Labels' && node.params?.['encoding'] !== 'values') labels[node.id] = Int32Array.from({ length: batch }, () => Math.floor(random() * 3));
  }
  return { batch, inputs, labels };
}

async function compare(graph: Graph, optimizer: z.input<typeof OptimizerSchema>, options: { batch: number; steps: number; variant?: 'tiled-shared' | 'cpu-friendly'; weightTol: number }) {
  const seed = 11;
  const cpu = new CpuTrainer(graph, { seed, optimizer: optimizer as never, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } });
  const engine = await GpuEngine.create(gpu().runtime, graph, {
    batchSize: options.batch, optimizer, schedule: { type: 'step', stepSize: 2, gamma: 0.5 }, seed, ...(options.variant ? { variant: options.variant } : {}),
  });
  try {
    for (let step = 0; step < options.steps; step++) {
      const feed = randomFeed(graph, options.batch, 100 + step);
      const want = cpu.trainStep(feed);
      const lr = engine.trainStep(feed);
      const got = await engine.readMetrics();
      expect(lr).toBeCloseTo(want.lr, 12);
      expect(got.steps).toBe(1);
      expect(Math.abs(got.loss - want.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.loss)));
    }
    const params = await engine.getParameters();
    for (const [name, tensor] of cpu.params) {
      const gotTensor = params.get(name)!;
      expect(gotTensor.shape).toEqual(tensor.shape);
      let worst = 0;
      for (let i = 0; i < tensor.data.length; i++) worst = Math.max(worst, Math.abs(gotTensor.data[i]! - tensor.data[i]!));
      expect(worst, name).toBeLessThan(options.weightTol);
    }
    expect(engine.step).toBe(options.steps);
  } finally {
    engine.destroy();
  }
}

describe('GPU engine matches the CPU executor', () => {
  it('MLP with Nesterov SGD, weight decay and a step schedule', async () => {
    await compare(mlpClassifier(12, [16, 8], 3), { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true }, { batch: 8, steps: 4, weightTol: 1e-5 });
  });

  it('small CNN (conv, pooling, flatten, dense) with Adam', async () => {
    const g = new GraphBuilder();
    let x = g.add('Input', { shape: [6, 6, 2] });
    x = g.then(g.then(x, 'Conv2D', { filters: 4, kernelSize: 3, padding: 'same' }), 'ReLU');
    x = g.then(x, 'MaxPool2D', { poolSize: 2, stride: 2 });
    x = g.then(g.then(x, 'Conv2D', { filters: 3, kernelSize: 2, stride: 1, padding: 'valid' }), 'Tanh');
    x = g.then(x, 'AvgPool2D', { poolSize: 2, stride: 1 });
    const logits = g.then(g.then(x, 'Flatten'), 'Dense', { units: 3 });
    const labels = g.add('Labels', { encoding: 'class-index' });
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(labels, loss, 'labels');
    await compare(g.build(), { type: 'adam', lr: 0.01 }, { batch: 4, steps: 3, weightTol: 2e-4 });
  });

  it('every layer kind (BatchNorm, Add, Concat, GELU, Softmax, two losses) with AdamW', async () => {
    // Dropout masks come from different random streams on CPU and GPU, so parity runs at rate 0.
    const base = everyLayerGraph();
    // A bias right before BatchNorm has an exactly-zero gradient in exact arithmetic; Adam turns the
    // rounding noise left in its place into ±lr steps whose sign differs between CPU and GPU.
    const bnInput = base.edges.find((e) => base.nodes.find((n) => n.id === e.target)?.type === 'BatchNorm')!.source;
    const graph: Graph = {
      edges: base.edges,
      nodes: base.nodes.map((n) => (n.type === 'Dropout' ? { ...n, params: { rate: 0 } } : n.id === bnInput ? { ...n, params: { ...n.params, useBias: false } } : n)),
    };
    await compare(graph, { type: 'adamw', lr: 0.01, weightDecay: 0.05 }, { batch: 4, steps: 3, weightTol: 2e-4 });
  });

  it('the shared-memory tiled kernels (for real GPUs) give the same training step', async () => {
    await compare(mlpClassifier(12, [], 3), { type: 'sgd', lr: 0.5, momentum: 0.5 }, { batch: 8, steps: 2, variant: 'tiled-shared', weightTol: 1e-5 });
  });
});
