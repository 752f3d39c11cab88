import { describe, it } from 'vitest';
import type { z } from 'zod';
import { GraphBuilder } from '../graph/builder';
import { mlpClassifier } from '../graph/examples';
import type { Graph } from '../graph/types';
import { useTestGpu } from '../gpu/test-gpu';
import type { OptimizerSchema } from '../layers/optimizers';
import { everyLayerGraph } from '../model/testing/every-layer-graph';
import { expectGpuMatchesCpu } from './testing/gpu-cpu-parity';

/**
 * The GPU engine against compute/model's CPU executor (the oracle): same graph, same seed, same
 * batches; after a few steps the losses and every parameter must agree to f32 accuracy.
 * The CNN and every-layer graphs also run with plain SGD: Adam divides each gradient by its own
 * running magnitude, so a gradient off by a constant factor would still pass under Adam alone.
 */
const gpu = useTestGpu();

type Optimizer = z.input<typeof OptimizerSchema>;

function smallCnn(): Graph {
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
  return g.build();
}

function everyLayerForParity(): Graph {
  // Dropout masks come from different random streams on CPU and GPU, so parity runs at rate 0.
  const base = everyLayerGraph();
  // A bias right before BatchNorm has an exactly-zero gradient in exact arithmetic; Adam turns the
  // rounding noise left in its place into ±lr steps whose sign differs between CPU and GPU.
  const bnInput = base.edges.find((e) => base.nodes.find((n) => n.id === e.target)?.type === 'BatchNorm')!.source;
  return {
    edges: base.edges,
    nodes: base.nodes.map((n) => (n.type === 'Dropout' ? { ...n, params: { rate: 0 } } : n.id === bnInput ? { ...n, params: { ...n.params, useBias: false } } : n)),
  };
}

const PLAIN_SGD: Optimizer = { type: 'sgd', lr: 0.1, momentum: 0 };

describe('GPU engine matches the CPU executor', () => {
  it('MLP with Nesterov SGD, weight decay and a step schedule', async () => {
    await expectGpuMatchesCpu(gpu().runtime, mlpClassifier(12, [16, 8], 3), { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true }, { batch: 8, steps: 4, weightTol: 1e-5 });
  });

  const cnnOptimizers: [string, Optimizer, number][] = [['Adam', { type: 'adam', lr: 0.01 }, 2e-4], ['plain SGD', PLAIN_SGD, 1e-5]];
  for (const [label, optimizer, weightTol] of cnnOptimizers) {
    it(`small CNN (conv, pooling, flatten, dense) with ${label}`, async () => {
      await expectGpuMatchesCpu(gpu().runtime, smallCnn(), optimizer, { batch: 4, steps: 3, weightTol });
    });
  }

  const everyLayerOptimizers: [string, Optimizer, number][] = [['AdamW', { type: 'adamw', lr: 0.01, weightDecay: 0.05 }, 2e-4], ['plain SGD', PLAIN_SGD, 1e-5]];
  for (const [label, optimizer, weightTol] of everyLayerOptimizers) {
    it(`every layer kind (BatchNorm, Add, Concat, GELU, Softmax, two losses) with ${label}`, async () => {
      await expectGpuMatchesCpu(gpu().runtime, everyLayerForParity(), optimizer, { batch: 4, steps: 3, weightTol });
    });
  }

  it('the shared-memory tiled kernels (for real GPUs) give the same training step', async () => {
    await expectGpuMatchesCpu(gpu().runtime, mlpClassifier(12, [], 3), { type: 'sgd', lr: 0.5, momentum: 0.5 }, { batch: 8, steps: 2, variant: 'tiled-shared', weightTol: 1e-5 });
  });
});
