import { spawnSync } from 'node:child_process';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { maxRelativeError, numericGradient, randomValues, seededRandom } from '../cpu/gradcheck';
import { LOWERINGS } from '../engine/lower/registry';
import { expectGpuMatchesCpu, randomFeed } from '../engine/testing/gpu-cpu-parity';
import { ONNX_EXPORTABLE_LAYERS, exportOnnx } from '../export/onnx/export-onnx';
import { exportPyTorch } from '../export/pytorch/export-pytorch';
import { GraphBuilder } from '../graph/builder';
import type { Graph, Shape } from '../graph/types';
import { useTestGpu } from '../gpu/test-gpu';
import { backward } from '../model/backward';
import { forward } from '../model/forward';
import { initParameters } from '../model/init';
import { CPU_OPS } from '../model/ops/registry';
import { buildModelPlan, type ModelPlan } from '../model/plan';
import type { ParamDtype, ParameterSet } from '../model/tensor';
import { validateGraph } from '../validate/validate-graph';
import { LAYERS } from './catalog';
import type { OptimizerSchema } from './optimizers';
import type { LayerSpec } from './types';

/**
 * A layer is complete or it fails here. For every layer type in the catalog, a tiny graph around
 * it is run through each facet the product promises:
 * - CPU op: compute/model's backward against central differences of its own forward (float64),
 *   in training and inference mode;
 * - GPU lowering: the WebGPU engine (Dawn; SwiftShader without a GPU) trains it like the CPU
 *   executor, with plain SGD so a gradient off by a constant factor shows;
 * - ONNX: onnxruntime runs the exported model like our inference forward pass;
 * - PyTorch: the generated model.py and train.py parse (python3's ast), every name forward() reads
 *   exists, and every parameter maps to a state_dict key.
 * Roles: a layer is wrapped as Input -> Dense -> layer -> MSE (one Dense per tensor input, so merge
 * layers get two, and the Dense's weights carry the layer's backward into the GPU comparison); a
 * loss as Input -> Dense -> loss <- Labels; Input and Labels are the feeds of all those graphs.
 * A new layer gets its catalog defaults (TEST_PARAMS shrinks a few) and every input shape of
 * INPUT_SHAPES it accepts; one that lacks a facet fails with the layer and the facet in the message.
 */
const gpu = useTestGpu();

beforeAll(() => {
  // onnxruntime-web runs its wasm build in Node; one thread avoids spawning workers.
  ort.env.wasm.numThreads = 1;
});

type Role = 'feed' | 'layer' | 'loss';
type Facet = 'CPU op with finite-difference gradients' | 'GPU lowering with CPU parity' | 'ONNX export with onnxruntime parity' | 'PyTorch code';

/** A vector and a small HWC image: each layer is checked on every one its shape rule accepts. */
const INPUT_SHAPES: readonly Shape[] = [[5], [4, 4, 2]];
/** Tiny sizes instead of the editor's defaults (64 units, 32 filters), and non-trivial rates. */
const TEST_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  Dense: { units: 3 },
  Conv2D: { filters: 3 },
  Dropout: { rate: 0.3 },
  LeakyReLU: { alpha: 0.1 },
};
/** Dropout masks come from different random streams on CPU and GPU, so GPU parity runs at rate 0. */
const GPU_PARAMS: Readonly<Record<string, Record<string, unknown>>> = { Dropout: { rate: 0 } };
/** What train.py must compute for each loss (the exporter picks it; a new loss needs its entry). */
const TORCH_LOSSES: Readonly<Record<string, string>> = { SoftmaxCrossEntropy: 'F.cross_entropy(', MSE: 'F.mse_loss(' };
const PLAIN_SGD: z.input<typeof OptimizerSchema> = { type: 'sgd', lr: 0.1, momentum: 0 };
const LAYER_ID = 'layer';
const INPUT_ID = 'features';

interface Fixture {
  readonly type: string;
  readonly role: Role;
  readonly label: string;
  readonly graph: Graph;
}

function roleOf(spec: LayerSpec): Role {
  if (spec.category === 'io') return 'feed';
  return spec.category === 'loss' ? 'loss' : 'layer';
}

function validates(graph: Graph): { ok: boolean; message: string } {
  const result = validateGraph(graph);
  return { ok: result.ok, message: result.problems.map((p) => `${p.code}: ${p.message}`).join('; ') };
}

/** Input -> one Dense per tensor port -> the layer -> MSE against value targets of its output shape. */
function layerGraph(spec: LayerSpec, shape: Shape, params: Record<string, unknown>): Graph | string {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [...shape] }, INPUT_ID);
  const layer = g.add(spec.type, params, LAYER_ID);
  const ports = spec.inputs.filter((p) => p.required || spec.inputs.length === 1);
  if (ports.some((p) => p.kind !== 'tensor')) return `${spec.type} takes labels but is not a loss`;
  for (const port of ports) {
    // No bias: a bias right before BatchNorm has an exactly-zero gradient, which is rounding noise on each side.
    const pre = g.add('Dense', { units: shape[shape.length - 1], useBias: false }, `pre_${port.name}`);
    g.connect(input, pre);
    g.connect(pre, layer, spec.inputs.length > 1 ? port.name : undefined);
  }
  const out = validateGraph(g.build()).nodeOutputShapes.get(LAYER_ID)?.['out'];
  if (!out) return validates(g.build()).message;
  const targets = g.add('Labels', { encoding: 'values', shape: [...out] }, 'targets');
  const loss = g.add('MSE', {}, 'head');
  g.connect(layer, loss, 'predictions');
  g.connect(targets, loss, 'targets');
  const graph = g.build();
  const check = validates(graph);
  return check.ok ? graph : check.message;
}

/** Input [5] -> Dense(3) into the loss's tensor port, a Labels layer (class indices, else values) into its labels port. */
function lossGraph(spec: LayerSpec, params: Record<string, unknown>): Graph | string {
  const attempts: string[] = [];
  for (const encoding of [{ encoding: 'class-index' }, { encoding: 'values', shape: [3] }]) {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [5] }, INPUT_ID);
    const loss = g.add(spec.type, params, LAYER_ID);
    for (const port of spec.inputs.filter((p) => p.required)) {
      const source = port.kind === 'labels' ? g.add('Labels', encoding, 'targets') : g.then(input, 'Dense', { units: 3 });
      g.connect(source, loss, port.name);
    }
    const graph = g.build();
    const check = validates(graph);
    if (check.ok) return graph;
    attempts.push(`${encoding.encoding} labels: ${check.message}`);
  }
  return attempts.join(' | ');
}

function fixturesFor(spec: LayerSpec): { fixtures: Fixture[]; problems: string[] } {
  const role = roleOf(spec);
  const params = TEST_PARAMS[spec.type] ?? {};
  const fixtures: Fixture[] = [];
  const problems: string[] = [];
  if (role === 'feed') return { fixtures, problems };
  const candidates = role === 'loss' ? [[5]] : INPUT_SHAPES;
  for (const shape of candidates) {
    const graph = role === 'loss' ? lossGraph(spec, params) : layerGraph(spec, shape, params);
    if (typeof graph === 'string') problems.push(`on [${shape.join(', ')}]: ${graph}`);
    else fixtures.push({ type: spec.type, role, label: `on [${shape.join(', ')}]`, graph });
  }
  return { fixtures, problems };
}

/** Prefixes any failure with the layer and the facet, so the report says what is missing where. */
async function facet(type: string, name: Facet, check: () => void | Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof Error) error.message = `${type} — ${name}: ${error.message}`;
    throw error;
  }
}

/** Running statistics away from 0/1, so inference BatchNorm is not an identity map. */
function randomizeBuffers(plan: ModelPlan, params: ParameterSet, seed: number): void {
  const rand = seededRandom(seed);
  for (const spec of plan.params) {
    if (!spec.trainable) params.get(spec.name)!.data.set(randomValues(rand, params.get(spec.name)!.data.length, 0.5, 1.5));
  }
}

function parameters(plan: ModelPlan, dtype: ParamDtype): ParameterSet {
  const params = initParameters(plan, { seed: 11, dtype });
  randomizeBuffers(plan, params, 3);
  return params;
}

function checkCpu(fixture: Fixture): void {
  expect(CPU_OPS.has(fixture.type), `no CPU op registered in compute/model/ops/registry.ts`).toBe(true);
  const plan = buildModelPlan(fixture.graph);
  const params = parameters(plan, 'float64');
  const feed = randomFeed(plan, 3, 21);
  for (const training of [true, false]) {
    const options = { training, seed: 5 };
    const grads = backward(forward(plan, params, feed, options), params);
    for (const spec of plan.params.filter((p) => p.trainable)) {
      const tensor = params.get(spec.name)!;
      const numeric = numericGradient((values) => {
        const original = tensor.data.slice();
        tensor.data.set(values);
        const loss = forward(plan, params, feed, options).loss!;
        tensor.data.set(original);
        return loss;
      }, tensor.data);
      const analytic = grads.params.get(spec.name)!;
      expect(maxRelativeError(analytic, numeric), `gradient of ${spec.name} (training ${training})`).toBeLessThan(1e-6);
      if (spec.nodeId === LAYER_ID) expect(analytic.some((v) => Math.abs(v) > 1e-6), `${spec.name} gets a non-zero gradient`).toBe(true);
    }
    const features = feed.inputs[INPUT_ID]!;
    const numeric = numericGradient((values) => forward(plan, params, { ...feed, inputs: { [INPUT_ID]: values } }, options).loss!, features);
    const analytic = grads.inputs.get(INPUT_ID)!;
    expect(maxRelativeError(analytic, numeric), `gradient of the input (training ${training})`).toBeLessThan(1e-6);
    // Zero gradients would make the comparison vacuous.
    expect(analytic.some((v) => Math.abs(v) > 1e-6), 'the input gets a non-zero gradient').toBe(true);
  }
}

async function checkGpu(fixture: Fixture): Promise<void> {
  expect(LOWERINGS.has(fixture.type), 'no GPU lowering registered in compute/engine/lower/registry.ts').toBe(true);
  const overrides = GPU_PARAMS[fixture.type];
  const graph: Graph = overrides
    ? { edges: fixture.graph.edges, nodes: fixture.graph.nodes.map((n) => (n.id === LAYER_ID ? { ...n, params: { ...n.params, ...overrides } } : n)) }
    : fixture.graph;
  await expectGpuMatchesCpu(gpu().runtime, graph, PLAIN_SGD, { batch: 4, steps: 2, weightTol: 1e-5 });
}

async function checkOnnx(fixture: Fixture): Promise<void> {
  if (fixture.role === 'layer') expect(ONNX_EXPORTABLE_LAYERS, 'no ONNX exporter in compute/export/onnx/layer-nodes.ts').toContain(fixture.type);
  const plan = buildModelPlan(fixture.graph);
  const params = parameters(plan, 'float32');
  const session = await ort.InferenceSession.create(exportOnnx(plan, params));
  try {
    const batch = 3;
    const feed = randomFeed(plan, batch, 99);
    const features = feed.inputs[INPUT_ID] as Float32Array;
    expect(session.inputNames).toEqual([INPUT_ID]);
    const results = await session.run({ [INPUT_ID]: new ort.Tensor('float32', features, [batch, ...plan.inputs[0]!.outputShape!]) });
    const output = plan.outputs[0]!;
    const name = output.lossType === 'SoftmaxCrossEntropy' ? 'logits' : 'predictions';
    expect(session.outputNames).toContain(name);
    const got = results[name]!;
    expect(got.dims).toEqual([batch, ...output.shape]);
    const want = forward(plan, params, { batch, inputs: feed.inputs }, { training: false }).values.get(output.source)!;
    const data = got.data as Float32Array;
    expect(data.length).toBe(want.length);
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < data.length; i++) {
      worst = Math.max(worst, Math.abs(data[i]! - want[i]!));
      largest = Math.max(largest, Math.abs(want[i]!));
    }
    // The comparison means something only if the outputs are not all (near) zero.
    expect(largest, 'largest output magnitude').toBeGreaterThan(0.05);
    expect(worst, `largest |onnxruntime - CPU| of ${name}`).toBeLessThan(1e-4 * Math.max(1, largest));
  } finally {
    await session.release();
  }
}

/** Python's ast: both files parse; forward() reads only names it has and modules __init__ made. */
const ANALYSE = `
import ast, json, sys
sources = json.loads(sys.stdin.read())
tree = ast.parse(sources["model.py"], "model.py")
ast.parse(sources["train.py"], "train.py")
cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
init = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "__init__")
fwd = next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "forward")
created = {t.attr for s in init.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Attribute)}
known = {a.arg for a in fwd.args.args} | {"F", "torch", "float", "_avg_pool_excluding_padding"}
problems, assigned, returned = [], [], []
for stmt in fwd.body:
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in known:
            problems.append("undefined " + node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr not in created:
            problems.append("no module self." + node.attr)
    if isinstance(stmt, ast.Assign):
        names = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        known |= set(names)
        assigned += names
    if isinstance(stmt, ast.Return):
        returned = [n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)]
weight_map = next(ast.literal_eval(s.value) for s in tree.body if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", "") == "WEIGHT_MAP")
print(json.dumps({"problems": problems, "assigned": assigned, "returned": returned, "weightKeys": sorted(weight_map)}))
`;

function checkPyTorch(fixture: Fixture): void {
  const plan = buildModelPlan(fixture.graph);
  const files = exportPyTorch(plan, { optimizer: { type: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false } });
  const result = spawnSync('python3', ['-c', ANALYSE], { input: JSON.stringify(files), encoding: 'utf8' });
  expect(result.stderr, 'python3 ast analysis').toBe('');
  const analysis = JSON.parse(result.stdout) as { problems: string[]; assigned: string[]; returned: string[]; weightKeys: string[] };
  expect(analysis.problems, 'names forward() reads but never defined').toEqual([]);
  expect(analysis.weightKeys, 'WEIGHT_MAP covers every parameter').toEqual(plan.params.map((p) => p.name).sort());
  if (fixture.role === 'layer') {
    expect(analysis.assigned, 'forward() computes the layer').toContain(LAYER_ID);
    expect(analysis.returned, 'forward() returns what the loss scores').toEqual([LAYER_ID]);
  } else {
    const loss = TORCH_LOSSES[fixture.type];
    expect(loss, 'no PyTorch loss known for this loss layer (TORCH_LOSSES)').toBeDefined();
    expect(files['train.py'], 'train.py computes the loss').toContain(loss);
  }
}

const ALL = [...LAYERS.values()].map((spec) => ({ spec, ...fixturesFor(spec) }));

describe('every layer in the catalog is complete', () => {
  for (const { spec, fixtures, problems } of ALL) {
    const role = roleOf(spec);
    describe(`${spec.type} (${role})`, () => {
      if (role === 'feed') {
        it('feeds the graphs every other layer is checked in', () => {
          const used = ALL.some((entry) => entry.fixtures.some((f) => f.graph.nodes.some((n) => n.type === spec.type)));
          expect(used, `${spec.type} is an io layer no fixture uses; give it a role in completeness.test.ts`).toBe(true);
        });
        return;
      }
      it('has a tiny graph to be checked in', () => {
        expect(fixtures.length, `${spec.type}: no input shape of ${JSON.stringify(INPUT_SHAPES)} builds a valid graph (${problems.join(' | ')})`).toBeGreaterThan(0);
      });
      for (const fixture of fixtures) {
        it(`CPU op with finite-difference gradients ${fixture.label}`, () => facet(spec.type, 'CPU op with finite-difference gradients', () => checkCpu(fixture)));
        it(`GPU lowering with CPU parity ${fixture.label}`, () => facet(spec.type, 'GPU lowering with CPU parity', () => checkGpu(fixture)));
        it(`ONNX export with onnxruntime parity ${fixture.label}`, () => facet(spec.type, 'ONNX export with onnxruntime parity', () => checkOnnx(fixture)));
        it(`PyTorch code ${fixture.label}`, () => facet(spec.type, 'PyTorch code', () => checkPyTorch(fixture)));
      }
    });
  }
});
