import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { mulberry32 } from '../../compute/data/random';
import { randomFeed } from '../../compute/engine/testing/gpu-cpu-parity';
import { cnnClassifier } from '../../compute/graph/examples';
import type { Graph } from '../../compute/graph/types';
import { LAYERS } from '../../compute/layers/catalog';
import type { LrSchedule } from '../../compute/layers/lr-schedules';
import { OptimizerSchema, type OptimizerConfig } from '../../compute/layers/optimizers';
import { backward } from '../../compute/model/backward';
import type { Feed } from '../../compute/model/feed';
import { forward } from '../../compute/model/forward';
import { initParameters } from '../../compute/model/init';
import { createOptimizerState, optimizerStep } from '../../compute/model/optimizer';
import { buildModelPlan, type ModelPlan } from '../../compute/model/plan';
import { cloneParameters, sizeOf, type ParameterSet } from '../../compute/model/tensor';
import { everyLayerGraph } from '../../compute/model/testing/every-layer-graph';
import { layerGraphs } from './testing/layer-graphs';
import { TorchExecutor } from './torch-executor';

/**
 * The torch executor against compute/model's CPU executor (the oracle the WGSL engine is tested
 * against too; Dawn-vs-torch is torch-engine-parity.test.ts): for every catalog layer and every
 * optimizer, two training steps from the same weights and batches agree within 1e-4 on the losses,
 * the gradients, the updated weights (BatchNorm running statistics included) and the checkpoint's
 * optimizer slots. Two steps so that momentum and Adam's moments carry state into the second;
 * the step schedule halves the rate between them. Dropout runs in training mode with the CPU
 * executor's masks (mulberry32 of the step seed), handed to torch as fixed masks: torch's own
 * generator could never match, and the executor's default masks are the WGSL engine's.
 * Torch runs on the CPU here; when it is not installed, start() fails with the install command.
 */
const TOL = 1e-4;
const SEED = 11;
const BATCH = 4;
const SCHEDULE: LrSchedule = { type: 'step', stepSize: 1, gamma: 0.5 };
const OPTIMIZERS: Record<string, OptimizerConfig> = {
  SGD: OptimizerSchema.parse({ type: 'sgd', lr: 0.1 }),
  'SGD with momentum and weight decay': OptimizerSchema.parse({ type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0.01 }),
  'SGD with Nesterov momentum': OptimizerSchema.parse({ type: 'sgd', lr: 0.1, momentum: 0.8, nesterov: true }),
  Adam: OptimizerSchema.parse({ type: 'adam', lr: 0.01, weightDecay: 0.01 }),
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

/** The keep-masks compute/model's forward draws for this step: one mulberry32 stream, Dropout layers in plan order. */
function cpuDropoutMasks(plan: ModelPlan, feed: Feed, seed: number): Record<string, Uint8Array> {
  const random = mulberry32(seed);
  const masks: Record<string, Uint8Array> = {};
  for (const node of plan.nodes) {
    const rate = node.params['rate'] as number;
    if (node.type !== 'Dropout' || rate === 0) continue;
    masks[node.id] = Uint8Array.from({ length: feed.batch * sizeOf(node.inputs[0]!.shape) }, () => (random() >= rate ? 1 : 0));
  }
  return masks;
}

function expectClose(label: string, got: ArrayLike<number> | undefined, want: ArrayLike<number>): void {
  expect(got, label).toBeDefined();
  expect(got!.length, `${label}: length`).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got![i]! - want[i]!) / Math.max(1, Math.abs(want[i]!)));
  expect(worst, `${label}: largest |torch - CPU| (relative above 1)`).toBeLessThan(TOL);
}

function expectParamsClose(what: string, got: ParameterSet | undefined, want: ReadonlyMap<string, { data: ArrayLike<number> }>): void {
  expect(got, what).toBeDefined();
  expect([...got!.keys()].sort(), `${what}: names`).toEqual([...want.keys()].sort());
  for (const [name, tensor] of want) expectClose(`${what} ${name}`, got!.get(name)!.data, tensor.data);
}

async function expectOneStepParity(graph: Graph, optimizer: OptimizerConfig): Promise<void> {
  const plan = buildModelPlan(graph);
  const params = initParameters(plan, { seed: SEED });
  await torch.load({ plan, optimizer, schedule: SCHEDULE, seed: SEED, params: cloneParameters(params) });
  const state = createOptimizerState(plan, params, optimizer, SCHEDULE);
  let reachedSomething = false;
  for (let step = 0; step < 2; step++) {
    const feed = randomFeed(plan, BATCH, 100 + step);
    const dropoutSeed = (SEED * 7919 + step) >>> 0;
    const pass = forward(plan, params, feed, { training: true, seed: dropoutSeed });
    const grads = backward(pass, params);
    const got = await torch.step(feed, { grads: true, weights: true, masks: cpuDropoutMasks(plan, feed, dropoutSeed) });
    const lr = optimizerStep(state, params, grads.params);
    expect(got.lr).toBeCloseTo(lr, 12);
    expect(got.step).toBe(step + 1);
    expectClose(`loss at step ${step}`, [got.loss], [pass.loss!]);
    for (const [id, loss] of pass.losses) expectClose(`loss ${id} at step ${step}`, [got.losses[id]!], [loss]);
    expectParamsClose(`gradient at step ${step} of`, got.grads, new Map([...grads.params].map(([name, data]) => [name, { data }])));
    expectParamsClose(`weights after step ${step}:`, got.weights, params);
    reachedSomething ||= [...grads.params.values()].some((g) => g.some((v) => Math.abs(v) > 1e-3));
  }
  // Zero gradients would make the comparison vacuous.
  expect(reachedSomething, 'some gradient is non-zero').toBe(true);
  const checkpoint = loadCheckpoint(await torch.checkpoint(), { plan });
  expect(checkpoint.optimizer.step).toBe(2);
  expect(checkpoint.optimizer.config).toEqual(optimizer);
  expect(checkpoint.optimizer.schedule).toEqual(SCHEDULE);
  expectParamsClose('checkpoint weights:', checkpoint.params, params);
  for (const [name, slots] of state.slots) {
    for (const [slot, values] of Object.entries(slots)) expectClose(`checkpoint optimizer.${name}.${slot}`, checkpoint.optimizer.slots.get(name)?.[slot as 'm'], values);
  }
}

/**
 * A bias right before BatchNorm has an exactly-zero gradient in exact arithmetic; Adam turns the
 * rounding noise left in its place into ±lr steps whose sign differs between implementations.
 */
function everyLayer(): Graph {
  const base = everyLayerGraph();
  const bnInput = base.edges.find((e) => base.nodes.find((n) => n.id === e.target)?.type === 'BatchNorm')!.source;
  return { edges: base.edges, nodes: base.nodes.map((n) => (n.id === bnInput ? { ...n, params: { ...n.params, useBias: false } } : n)) };
}

const { graphs, unbuilt } = layerGraphs();

describe('torch executor: one training step matches the CPU executor', () => {
  it('has a graph for every layer in the catalog', () => {
    expect(Object.fromEntries(unbuilt)).toEqual({});
    const covered = new Set(graphs.flatMap((g) => g.graph.nodes.map((n) => n.type)));
    expect([...LAYERS.keys()].filter((type) => !covered.has(type))).toEqual([]);
  });

  for (const { type, label, graph } of graphs) {
    describe(`${type} ${label}`, () => {
      for (const [name, optimizer] of Object.entries(OPTIMIZERS)) {
        it(name, () => expectOneStepParity(graph, optimizer));
      }
    });
  }

  describe('every layer at once (two branches, two losses)', () => {
    for (const [name, optimizer] of Object.entries(OPTIMIZERS)) {
      it(name, () => expectOneStepParity(everyLayer(), optimizer));
    }
  });

  it('a small CNN with Adam', () => expectOneStepParity(cnnClassifier([8, 8, 1], 3), OPTIMIZERS['Adam']!));
});
