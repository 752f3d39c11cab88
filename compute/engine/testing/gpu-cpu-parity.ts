/**
 * Test helper: trains one graph on the GPU engine and on compute/model's CPU executor (the oracle)
 * with the same seed and batches, and expects every step's loss and the final parameters to agree
 * to f32 accuracy. Used by the engine's parity test and the layer completeness test.
 */
import { expect } from 'vitest';
import type { z } from 'zod';
import { mulberry32 } from '../../data/random';
import type { Graph } from '../../graph/types';
import type { GpuRuntime } from '../../gpu/runtime';
import type { OptimizerSchema } from '../../layers/optimizers';
import type { LrScheduleSchema } from '../../layers/lr-schedules';
import type { Feed } from '../../model/feed';
import { buildModelPlan, type ModelPlan } from '../../model/plan';
import { CpuTrainer } from '../../model/trainer';
import { GpuEngine } from '../gpu-engine';

export interface ParityOptions {
  readonly batch: number;
  readonly steps: number;
  readonly weightTol: number;
  readonly variant?: 'tiled-shared' | 'cpu-friendly';
  readonly schedule?: z.input<typeof LrScheduleSchema>;
}

/**
 * Features in [-1, 1) for every Input; targets in [0, 1) for value Labels and class indices below
 * the class count of the loss that reads them (the last dimension of its logits).
 */
export function randomFeed(plan: ModelPlan, batch: number, seed: number): Feed {
  const random = mulberry32(seed);
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const inputs: Record<string, Float32Array> = {};
  const labels: Record<string, Int32Array | Float32Array> = {};
  for (const node of plan.inputs) inputs[node.id] = Float32Array.from({ length: batch * size(node.outputShape!) }, () => random() * 2 - 1);
  for (const node of plan.labels) {
    if (node.params['encoding'] === 'values') {
      labels[node.id] = Float32Array.from({ length: batch * size(node.outputShape!) }, () => random());
      continue;
    }
    const loss = plan.losses.find((l) => l.inputs.some((i) => i.kind === 'labels' && i.source === node.id));
    const logits = loss?.inputs.find((i) => i.kind === 'tensor')?.shape ?? [2];
    const classes = logits[logits.length - 1] ?? 2;
    labels[node.id] = Int32Array.from({ length: batch }, () => Math.floor(random() * classes));
  }
  return { batch, inputs, labels };
}

export async function expectGpuMatchesCpu(
  runtime: GpuRuntime,
  graph: Graph,
  optimizer: z.input<typeof OptimizerSchema>,
  options: ParityOptions,
): Promise<void> {
  const seed = 11;
  const schedule = options.schedule ?? { type: 'step', stepSize: 2, gamma: 0.5 };
  const plan = buildModelPlan(graph);
  const cpu = new CpuTrainer(plan, { seed, optimizer: optimizer as never, schedule: schedule as never });
  const engine = await GpuEngine.create(runtime, graph, {
    batchSize: options.batch, optimizer, schedule, seed, ...(options.variant ? { variant: options.variant } : {}),
  });
  try {
    for (let step = 0; step < options.steps; step++) {
      const feed = randomFeed(plan, options.batch, 100 + step);
      const want = cpu.trainStep(feed);
      const lr = engine.trainStep(feed);
      const got = await engine.readMetrics();
      expect(lr).toBeCloseTo(want.lr, 12);
      expect(got.steps).toBe(1);
      expect(Math.abs(got.loss - want.loss), `loss at step ${step}: GPU ${got.loss}, CPU ${want.loss}`).toBeLessThan(1e-4 * Math.max(1, Math.abs(want.loss)));
    }
    const params = await engine.getParameters();
    for (const [name, tensor] of cpu.params) {
      const gotTensor = params.get(name);
      expect(gotTensor, `GPU parameter ${name}`).toBeDefined();
      expect(gotTensor!.shape).toEqual(tensor.shape);
      let worst = 0;
      for (let i = 0; i < tensor.data.length; i++) worst = Math.max(worst, Math.abs(gotTensor!.data[i]! - tensor.data[i]!));
      expect(worst, `largest |GPU - CPU| of ${name}`).toBeLessThan(options.weightTol);
    }
    expect(engine.step).toBe(options.steps);
  } finally {
    engine.destroy();
  }
}
