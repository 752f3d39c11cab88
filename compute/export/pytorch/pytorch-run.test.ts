import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPreprocessingToFeatures } from '../../data/preprocessing';
import { mulberry32 } from '../../data/random';
import { GraphBuilder } from '../../graph/builder';
import { cnnClassifier, mlpClassifier } from '../../graph/examples';
import type { Graph } from '../../graph/types';
import { forward } from '../../model/forward';
import { initParameters } from '../../model/init';
import { buildModelPlan, type ModelPlan } from '../../model/plan';
import type { ParameterSet } from '../../model/tensor';
import { everyLayerGraph } from '../../model/testing/every-layer-graph';
import type { ModelMetadata } from '../model-metadata';
import { readSafetensors, writeSafetensors } from '../safetensors/format';
import { loadWeights, saveWeights } from '../safetensors/weights';
import { exportPyTorch } from './export-pytorch';

/**
 * The exported model.py and train.py RUN, in PyTorch on the CPU, as a user runs them: files in a
 * folder, `from model import ...`, load_cyxwiz_weights on our weights file. Inference outputs match
 * our CPU forward pass within 1e-4; save_cyxwiz_weights writes back what was loaded; train.py trains
 * from a CSV and saves weights CyxWiz loads. The node-runner's torch executor runs the same model.py.
 * PyTorch comes from the project's venv (scripts/setup.sh test); without it these tests fail.
 */
const PYTHON = process.env['CYXWIZ_TORCH_PYTHON'] ?? fileURLToPath(new URL('../../../.tools/torch/bin/python', import.meta.url));
const INSTALL = 'PyTorch is not installed in .tools/torch: run `bash scripts/setup.sh test`';
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cyxwiz-pytorch-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/**
 * One Python process for the whole file (importing torch is most of the cost): for each folder it
 * imports that folder's model.py afresh and either loads our weights, runs forward() in eval mode on
 * inputs.safetensors and saves the outputs and the weights back, or runs train.py as __main__ with
 * the given arguments, its printout going to train.log.
 */
const DRIVER = `
import contextlib, json, os, runpy, sys
import torch
from safetensors.torch import load_file, save_file
for job in json.loads(sys.argv[1]):
    os.chdir(job["dir"])
    sys.path.insert(0, job["dir"])
    sys.modules.pop("model", None)
    if job["kind"] == "train":
        sys.argv = ["train.py", *job["args"]]
        with open("train.log", "w") as log, contextlib.redirect_stdout(log):
            runpy.run_path("train.py", run_name="__main__")
    else:
        import model as m
        net = m.load_cyxwiz_weights(m.CyxWizModel(), "weights.safetensors").eval()
        inputs = load_file("inputs.safetensors")
        with torch.no_grad():
            out = net(*[inputs[k] for k in m.INPUT_SHAPES])
        out = out if isinstance(out, tuple) else (out,)
        save_file({source: o.contiguous() for (_, _, source), o in zip(m.OUTPUTS, out)}, "outputs.safetensors")
        m.save_cyxwiz_weights(net, "saved.safetensors")
    sys.path.remove(job["dir"])
`;

interface Job {
  readonly dir: string;
  readonly kind: 'forward' | 'train';
  readonly args?: readonly string[];
}
const jobs: Job[] = [];
let ran: { status: number | null; stderr: string } | undefined;

/** Runs every queued job in one Python process, once, the first time a test needs a result. */
function runJobs(): void {
  if (ran) return;
  expect(existsSync(PYTHON), INSTALL).toBe(true);
  const result = spawnSync(PYTHON, ['-c', DRIVER, JSON.stringify(jobs)], { encoding: 'utf8', timeout: 300_000 });
  ran = { status: result.status, stderr: result.stderr };
}

function expectRan(): void {
  runJobs();
  expect(ran!.stderr.split('\n').filter((l) => /Error|Traceback/.test(l)), ran!.stderr).toEqual([]);
  expect(ran!.status, ran!.stderr).toBe(0);
}

/** Running statistics away from 0/1 and non-zero biases, so inference BatchNorm and biases matter. */
function parameters(plan: ModelPlan): ParameterSet {
  const params = initParameters(plan, { seed: 5 });
  const random = mulberry32(9);
  for (const spec of plan.params) {
    if (spec.role === 'weight') continue;
    const data = params.get(spec.name)!.data;
    for (let i = 0; i < data.length; i++) data[i] = spec.role === 'running_var' ? 0.5 + random() : random() - 0.5;
  }
  return params;
}

function features(plan: ModelPlan, batch: number, scale = 1): Record<string, Float32Array> {
  const random = mulberry32(3);
  return Object.fromEntries(plan.inputs.map((n) => [n.id, Float32Array.from({ length: batch * n.outputShape!.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * scale)]));
}

function geluHead(): Graph {
  const g = new GraphBuilder();
  const gelu = g.then(g.then(g.add('Input', { shape: [8] }), 'Dense', { units: 8 }), 'GELU');
  const targets = g.add('Labels', { encoding: 'values', shape: [8] });
  const loss = g.add('MSE');
  g.connect(gelu, loss, 'predictions');
  g.connect(targets, loss, 'targets');
  return g.build();
}

/** Queues the forward job now (so the one Python run covers it) and returns the check to run in the test. */
function forwardCase(graph: Graph, model?: ModelMetadata, scale = 1): () => void {
  const plan = buildModelPlan(graph);
  const params = parameters(plan);
  const batch = 3;
  const raw = features(plan, batch, model ? 50 : scale);
  // A model with a missing-value fill gets holes (NaN) to fill: every fourth value.
  if (model?.preprocessing.fill) for (const x of Object.values(raw)) for (let i = 1; i < x.length; i += 4) x[i] = NaN;
  const tensors = new Map(plan.inputs.map((n) => [n.id, { dtype: 'F32' as const, shape: [batch, ...n.outputShape!], data: raw[n.id]! }]));
  const files = exportPyTorch(plan, model ? { model } : {});
  const dir = folder({ 'model.py': files['model.py'], 'train.py': files['train.py'], 'weights.safetensors': saveWeights(params), 'inputs.safetensors': writeSafetensors(tensors) });
  jobs.push({ dir, kind: 'forward' });
  return () => {
    expectRan();
    const outputs = readSafetensors(new Uint8Array(readFileSync(join(dir, 'outputs.safetensors')))).tensors;
    const scaled = model ? Object.fromEntries(Object.entries(raw).map(([id, x]) => [id, applyPreprocessingToFeatures(model.preprocessing, x)])) : raw;
    const want = forward(plan, params, { batch, inputs: scaled }, { training: false }).values;
    for (const output of plan.outputs) {
      const got = outputs.get(output.source);
      expect(got?.shape, output.source).toEqual([batch, ...output.shape]);
      const expected = want.get(output.source)!;
      let worst = 0;
      let largest = 0;
      for (let i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(got!.data[i]! - expected[i]!));
        largest = Math.max(largest, Math.abs(expected[i]!));
      }
      expect(largest, `${output.source}: outputs are not all near zero`).toBeGreaterThan(0.05);
      expect(worst, `${output.source}: largest |PyTorch - CPU|`).toBeLessThan(1e-4 * Math.max(1, largest));
    }
    // What PyTorch saves back is what it loaded, in our names and layouts.
    const saved = loadWeights(new Uint8Array(readFileSync(join(dir, 'saved.safetensors'))), { plan });
    for (const [name, t] of params) expect(Array.from(saved.get(name)!.data), name).toEqual(Array.from(t.data));
  };
}

function trainCase(): () => void {
  const plan = buildModelPlan(mlpClassifier(4, [6], 3));
  const random = mulberry32(1);
  const rows = Array.from({ length: 24 }, (_, i) => [...Array.from({ length: 4 }, () => (random() * 2 - 1).toFixed(4)), String(i % 3)].join(','));
  const start = initParameters(plan, { seed: 2 });
  const files = exportPyTorch(plan, { optimizer: { type: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, epochs: 3, batchSize: 8 });
  const dir = folder({ 'model.py': files['model.py'], 'train.py': files['train.py'], 'data.csv': `${rows.join('\n')}\n`, 'start.safetensors': saveWeights(start) });
  jobs.push({ dir, kind: 'train', args: ['data.csv', '--weights', 'start.safetensors', '--out', 'trained.safetensors'] });
  return () => {
    expectRan();
    const log = readFileSync(join(dir, 'train.log'), 'utf8');
    expect(log).toMatch(/training on 24 examples/);
    expect(log.match(/^epoch \d+: train loss/gm)).toHaveLength(3);
    const trained = loadWeights(new Uint8Array(readFileSync(join(dir, 'trained.safetensors'))), { plan });
    expect(Array.from(trained.get('dense1.weight')!.data)).not.toEqual(Array.from(start.get('dense1.weight')!.data));
  };
}

describe('the PyTorch export runs and matches our forward pass', () => {
  const cases: [string, () => void][] = [
    ['GELU scored directly, on inputs large enough that its tanh approximation shows', forwardCase(geluHead(), undefined, 3)],
    ['an MLP', forwardCase(mlpClassifier(12, [8], 3))],
    ['a CNN', forwardCase(cnnClassifier([8, 8, 1], 3))],
    ['every layer kind (BatchNorm from running statistics, Dropout as identity, two outputs)', forwardCase(everyLayerGraph())],
    ['a model that takes raw features and scales them with its fitted preprocessing', forwardCase(mlpClassifier(3, [4], 2), { preprocessing: { kind: 'minmax', min: [0, -40, 10], max: [2, 60, 1710] }, classNames: ['no', 'yes'] })],
    [
      'a model whose data was read under "mean" fills NaN features with their training means before scaling',
      forwardCase(mlpClassifier(3, [4], 2), { preprocessing: { kind: 'standardize', mean: [1, -4, 10], std: [2, 30, 400], fill: [1, -4, 10] }, classNames: ['no', 'yes'] }),
    ],
    ['train.py trains from a CSV and saves weights CyxWiz loads', trainCase()],
  ];
  for (const [name, check] of cases) it(name, check);
});
