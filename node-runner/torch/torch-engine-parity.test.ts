import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { GpuEngine } from '../../compute/engine/gpu-engine';
import { randomFeed } from '../../compute/engine/testing/gpu-cpu-parity';
import { GraphBuilder } from '../../compute/graph/builder';
import type { Graph } from '../../compute/graph/types';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import type { LrSchedule } from '../../compute/layers/lr-schedules';
import { OptimizerSchema, type OptimizerConfig } from '../../compute/layers/optimizers';
import { initParameters } from '../../compute/model/init';
import { buildModelPlan } from '../../compute/model/plan';
import { cloneParameters, type ParameterSet } from '../../compute/model/tensor';
import { everyLayerGraph } from '../../compute/model/testing/every-layer-graph';
import { TorchExecutor } from './torch-executor';

/**
 * The torch executor against our WGSL engine on Dawn (SwiftShader here): the same weights, batches
 * and seed give the same losses and updated weights within 1e-4 step by step — with Dropout ACTIVE,
 * because the executor draws the engine's masks (its PCG hash of the step seed, the layer's salt and
 * the index). With plain SGD the engine's gradient is (w_before − w_after) / lr, so gradients are
 * compared too. Then a run moves between the backends through our checkpoint format (weights,
 * optimizer slots, step) and ends where the run that never moved ends.
 */
const gpu = useTestGpu();
const TOL = 1e-4;
const SEED = 7;
const BATCH = 4;
const SCHEDULE: LrSchedule = { type: 'step', stepSize: 2, gamma: 0.5 };
const PLAIN_SGD = OptimizerSchema.parse({ type: 'sgd', lr: 0.1 });
const OPTIMIZERS: Record<string, OptimizerConfig> = {
  SGD: PLAIN_SGD,
  'SGD with momentum and weight decay': OptimizerSchema.parse({ type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 }),
  Adam: OptimizerSchema.parse({ type: 'adam', lr: 0.01 }),
  AdamW: OptimizerSchema.parse({ type: 'adamw', lr: 0.01, weightDecay: 0.05 }),
};

let torch: TorchExecutor;
beforeAll(async () => {
  // CYXWIZ_TORCH_DEVICE=cuda runs the same parity on a GPU (scripts/device-check.sh).
  torch = await TorchExecutor.start({ device: process.env['CYXWIZ_TORCH_DEVICE'] === 'cuda' ? 'cuda' : 'cpu' });
});
afterAll(async () => {
  await torch?.shutdown();
});

/** Two Dropout layers (two salts) at different rates between Dense layers. */
function dropoutMlp(): Graph {
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [12] });
  x = g.then(g.then(x, 'Dense', { units: 16 }), 'Dropout', { rate: 0.5 });
  x = g.then(g.then(x, 'Dense', { units: 8 }), 'Dropout', { rate: 0.25 });
  const logits = g.then(x, 'Dense', { units: 3 });
  const labels = g.add('Labels', { encoding: 'class-index' });
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(logits, loss, 'logits');
  g.connect(labels, loss, 'labels');
  return g.build();
}

/** Every layer kind, Dropout at its rate; no bias right before BatchNorm (its zero gradient is rounding noise that Adam amplifies). */
function everyLayer(): Graph {
  const base = everyLayerGraph();
  const bnInput = base.edges.find((e) => base.nodes.find((n) => n.id === e.target)?.type === 'BatchNorm')!.source;
  return { edges: base.edges, nodes: base.nodes.map((n) => (n.id === bnInput ? { ...n, params: { ...n.params, useBias: false } } : n)) };
}

function worstDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  return worst;
}

function expectParamsClose(what: string, got: ParameterSet, want: ParameterSet): void {
  expect([...got.keys()].sort(), what).toEqual([...want.keys()].sort());
  for (const [name, tensor] of want) expect(worstDiff(got.get(name)!.data, tensor.data), `${what} ${name}: largest |torch - Dawn|`).toBeLessThan(TOL);
}

async function expectEngineParity(graph: Graph, optimizer: OptimizerConfig, steps: number): Promise<void> {
  const plan = buildModelPlan(graph);
  const params = initParameters(plan, { seed: SEED });
  const engine = await GpuEngine.create(gpu().runtime, graph, { batchSize: BATCH, optimizer, schedule: SCHEDULE, seed: SEED, params: cloneParameters(params) });
  try {
    await torch.load({ plan, optimizer, schedule: SCHEDULE, seed: SEED, params });
    for (let step = 0; step < steps; step++) {
      const feed = randomFeed(plan, BATCH, 200 + step);
      const before = await engine.getParameters();
      const lr = engine.trainStep(feed);
      const metrics = await engine.readMetrics();
      const got = await torch.step(feed, { grads: true, weights: true });
      expect(got.lr).toBeCloseTo(lr, 12);
      expect(Math.abs(got.loss - metrics.loss), `loss at step ${step}: torch ${got.loss}, Dawn ${metrics.loss}`).toBeLessThan(TOL * Math.max(1, Math.abs(metrics.loss)));
      const after = await engine.getParameters();
      expectParamsClose(`weights after step ${step}:`, got.weights!, after);
      if (optimizer === PLAIN_SGD) {
        for (const [name, grad] of got.grads!) {
          const derived = after.get(name)!.data.map((w, i) => (before.get(name)!.data[i]! - w) / lr);
          expect(worstDiff(grad.data, derived), `gradient of ${name} at step ${step}: largest |torch - Dawn|`).toBeLessThan(TOL);
        }
      }
    }
  } finally {
    engine.destroy();
  }
}

describe('torch executor matches the WGSL engine on Dawn', () => {
  for (const [label, graph] of [['two Dropout layers (active)', dropoutMlp()], ['every layer kind (Dropout active, two losses)', everyLayer()]] as const) {
    for (const [name, optimizer] of Object.entries(OPTIMIZERS)) {
      it(`${label} with ${name}`, () => expectEngineParity(graph, optimizer, 2));
    }
  }
});

for (const name of ['Adam', 'SGD with momentum and weight decay']) describe(`a run moves between Dawn and torch through the checkpoint format (${name})`, () => {
  const graph = everyLayer();
  const plan = buildModelPlan(graph);
  const optimizer = OPTIMIZERS[name]!;
  const feeds = [0, 1, 2, 3].map((i) => randomFeed(plan, BATCH, 300 + i));

  async function dawn(from: { params: ParameterSet; optimizer?: Awaited<ReturnType<GpuEngine['getOptimizerState']>> }, steps: readonly number[]) {
    const engine = await GpuEngine.create(gpu().runtime, graph, {
      batchSize: BATCH, optimizer, schedule: SCHEDULE, seed: SEED, params: cloneParameters(from.params), ...(from.optimizer ? { optimizerState: from.optimizer } : {}),
    });
    try {
      for (const i of steps) engine.trainStep(feeds[i]!);
      return { params: await engine.getParameters(), optimizer: await engine.getOptimizerState() };
    } finally {
      engine.destroy();
    }
  }

  it('Dawn for two steps, then torch-cpu from its checkpoint, ends where four Dawn steps end', async () => {
    const start = initParameters(plan, { seed: SEED });
    const allDawn = await dawn({ params: start }, [0, 1, 2, 3]);
    const half = await dawn({ params: start }, [0, 1]);
    expect(await torch.load({ plan, optimizer, schedule: SCHEDULE, seed: SEED, checkpoint: saveCheckpoint(half) })).toBe(2);
    await torch.step(feeds[2]!);
    const last = await torch.step(feeds[3]!, { weights: true });
    expect(last.step).toBe(4);
    expectParamsClose('after resuming on torch:', last.weights!, allDawn.params);
  });

  it('torch-cpu for two steps, then Dawn from its checkpoint, ends where four Dawn steps end', async () => {
    const start = initParameters(plan, { seed: SEED });
    const allDawn = await dawn({ params: start }, [0, 1, 2, 3]);
    await torch.load({ plan, optimizer, schedule: SCHEDULE, seed: SEED, params: start });
    await torch.step(feeds[0]!);
    await torch.step(feeds[1]!);
    const checkpoint = loadCheckpoint(await torch.checkpoint(), { plan });
    expect(checkpoint.optimizer.step).toBe(2);
    const resumed = await dawn(checkpoint, [2, 3]);
    expect(resumed.optimizer.step).toBe(4);
    expectParamsClose('after resuming on Dawn:', resumed.params, allDawn.params);
  });
});
