import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { mlpClassifier, residualMlp } from '../graph/examples';
import { MINIMUM_CAPS } from '../kernels/caps';
import { buildModelPlan } from '../model/plan';
import { checkBufferLimits } from './allocate';
import { compilePlan } from './compile';
import { EngineError } from './engine-error';

const adam = { type: 'adam' as const, lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };

describe('compilePlan', () => {
  it('lowers an MLP to fused matmuls, skips the input gradient and updates all weights in one dispatch', () => {
    const plan = compilePlan(buildModelPlan(mlpClassifier(784, [256, 128], 10)), { batch: 128, variant: 'cpu-friendly', optimizer: adam });
    const names = (calls: typeof plan.forward) => calls.map((c) => c.def.name);
    expect(names(plan.forward)).toEqual(['matmul.blocked-4x4', 'matmul.blocked-4x4', 'matmul.blocked-4x4', 'softmax-cross-entropy.rows', 'metrics.accumulate']);
    expect(plan.forward.slice(0, 2).map((c) => (c.params as { activation?: string }).activation)).toEqual(['relu', 'relu']);
    // 3 weight grads + 3 bias grads + 2 input grads (not for the first layer) + 2 ReLU backward.
    expect(plan.backward.filter((c) => (c.params as { transB?: boolean }).transB)).toHaveLength(2);
    expect(plan.backward).toHaveLength(10);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]!.def.name).toBe('optimizer.adam');
    // Packed parameters: each tensor starts on a 256-byte boundary.
    for (const p of plan.params) expect(p.ref.offset % 256).toBe(0);
    expect(plan.inference.map((c) => c.def.name)).toEqual(['matmul.blocked-4x4', 'matmul.blocked-4x4', 'matmul.blocked-4x4']);
  });

  it('picks the tiled kernels for GPUs', () => {
    const plan = compilePlan(buildModelPlan(mlpClassifier(8, [4], 2)), { batch: 4, variant: 'tiled-shared', optimizer: adam });
    expect(plan.forward[0]!.def.name).toBe('matmul.tiled-shared');
    expect(plan.backward.some((c) => c.def.name === 'column-sum.shared-tree')).toBe(true);
  });

  it('accumulates gradients of a tensor with several consumers (residual Add)', () => {
    const plan = compilePlan(buildModelPlan(residualMlp(2, 8, 8, 3)), { batch: 4, variant: 'cpu-friendly', optimizer: adam });
    const names = plan.backward.map((c) => c.def.name);
    expect(names).toContain('accumulate');
    expect(names).toContain('copy');
    expect(plan.forward.some((c) => c.def.name === 'dropout.random-mask')).toBe(true);
    expect(plan.inference.some((c) => c.def.name === 'batchnorm.running-stats')).toBe(true);
    expect(plan.inference.some((c) => c.def.name.startsWith('dropout'))).toBe(false);
  });

  it('reports buffers beyond the device limits clearly', () => {
    const g = new GraphBuilder();
    const x = g.add('Input', { shape: [4096] });
    const logits = g.then(g.then(x, 'Dense', { units: 4096 }), 'Dense', { units: 10 });
    const labels = g.add('Labels', { encoding: 'class-index' });
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(labels, loss, 'labels');
    const plan = compilePlan(buildModelPlan(g.build()), { batch: 8, variant: 'cpu-friendly', optimizer: adam });
    const limits = { ...MINIMUM_CAPS, maxStorageBufferBindingSize: 32 * 1024 * 1024, maxBufferSize: 256 * 1024 * 1024, maxUniformBufferBindingSize: 65536 } as unknown as GPUSupportedLimits;
    expect(() => checkBufferLimits(plan, limits)).toThrow(/'params' needs 64\.\d MiB but this device's maxStorageBufferBindingSize is 32\.0 MiB; use fewer or smaller layers/);
    const wide = compilePlan(buildModelPlan(g.build()), { batch: 4096, variant: 'cpu-friendly', optimizer: adam });
    expect(() => checkBufferLimits(wide, { ...limits, maxStorageBufferBindingSize: 1 << 30 } as GPUSupportedLimits)).not.toThrow(/params/);
    expect(() => compilePlan(buildModelPlan(g.build()), { batch: 0, variant: 'cpu-friendly', optimizer: adam })).toThrow(EngineError);
  });
});
