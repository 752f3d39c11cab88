/**
 * Compute benchmark on Dawn (SwiftShader when there is no GPU): training throughput of the
 * 784-256-128-10 MLP (batch 128, Adam, synthetic data) with its first-step time reported separately,
 * the digits MLP's validation accuracy and wall time, f32 matmul GFLOP/s for both kernel variants,
 * the same products with numpy when python3 has it, and peak RSS. Prints human-readable lines, then
 * ONE JSON line last. For a comparison with TF.js, measured on the same adapter in the same run, see
 * `npm run bench:browser`; no TF.js figure is quoted here.
 *
 *   node --import tsx scripts/bench-compute.ts [--quick]
 *
 * --quick keeps every measurement short (one timed repetition for the slowest cases) so the whole
 * run stays well under a minute on two CPU cores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../compute/data/csv';
import { applyNormalizer, fitNormalizer } from '../compute/data/normalize';
import { splitDataset } from '../compute/data/split';
import { GpuEngine } from '../compute/engine/gpu-engine';
import { mlpClassifier } from '../compute/graph/examples';
import { train } from '../compute/train/train';
import { createNodeGpu } from '../compute/gpu/node-device';
import { GpuRuntime } from '../compute/gpu/runtime';
import { chooseVariant } from '../compute/kernels/choose-variant';
import { matmulBlocked } from '../compute/kernels/matmul-blocked';
import type { MatmulParams } from '../compute/kernels/matmul-params';
import { matmulTiled } from '../compute/kernels/matmul-tiled';
import type { KernelDef } from '../compute/kernels/types';
import { VALIDATION_TARGET_GRAPHS_PER_SECOND, validationThroughput } from './lib/validate-throughput';

/** The project's own Python with numpy (made by `bash scripts/setup.sh bench`), else the system one. */
function pythonWithNumpy(): string {
  const local = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.tools', 'py', 'bin', 'python3');
  return existsSync(local) ? local : 'python3';
}

const quick = process.argv.includes('--quick');
const SIZES = [256, 512, 1024];
/** Seconds of timed work to aim for per measurement. */
const TARGET_SECONDS = quick ? 0.25 : 2;
/** --quick must finish within a minute even on a loaded machine: later cases are skipped past this. */
const QUICK_BUDGET_MS = 35_000;
const started = performance.now();
const MAX_REPS = quick ? 20 : 100;

interface MatmulResult {
  readonly variant: string;
  readonly kernel: string;
  readonly n: number;
  readonly reps: number;
  readonly compileMs: number;
  readonly gflops: number;
}

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

async function timeMatmul(runtime: GpuRuntime, def: KernelDef<MatmulParams>, n: number): Promise<MatmulResult> {
  const kernel = runtime.kernel(def, { m: n, k: n, n });
  const t0 = performance.now();
  await runtime.prepare(kernel);
  const compileMs = performance.now() - t0;
  const a = runtime.createBuffer(random(n * n));
  const b = runtime.createBuffer(random(n * n));
  const c = runtime.createBuffer(n * n * 4);
  const group = runtime.bindGroup(kernel, { a, b, c });
  const run = async (reps: number): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < reps; i++) runtime.dispatch(kernel, group);
    await runtime.finish();
    return (performance.now() - start) / 1000;
  };
  // The first run is both warm-up and a probe for how many repetitions fit the time budget.
  const probe = await run(1);
  const reps = Math.max(1, Math.min(MAX_REPS, Math.round(TARGET_SECONDS / probe)));
  // When a single repetition already exceeds the budget, the probe is the measurement.
  const seconds = probe >= TARGET_SECONDS ? probe : await run(reps);
  const timedReps = probe >= TARGET_SECONDS ? 1 : reps;
  for (const buffer of [a, b, c]) buffer.destroy();
  return { variant: def.variant, kernel: def.name, n, reps: timedReps, compileMs: Math.round(compileMs), gflops: round((2 * n ** 3 * timedReps) / seconds / 1e9) };
}

interface MlpResult {
  readonly model: string;
  readonly batch: number;
  readonly optimizer: string;
  readonly variant: string;
  /** Plan compile + buffer allocation + every pipeline compiled. */
  readonly createMs: number;
  /** The first step, submitted and waited for (pipelines are already compiled). */
  readonly firstStepMs: number;
  readonly timedSteps: number;
  readonly stepMs: number;
  readonly samplesPerSecond: number;
  readonly dispatchesPerStep: number;
  readonly pipelines: number;
}

/** Training throughput of the 784-256-128-10 MLP after warm-up; no readback inside the timed loop. */
async function benchMlp(runtime: GpuRuntime): Promise<MlpResult> {
  const batch = 128;
  const t0 = performance.now();
  const engine = await GpuEngine.create(runtime, mlpClassifier(784, [256, 128], 10), { batchSize: batch, optimizer: { type: 'adam', lr: 0.001 }, seed: 1 });
  const createMs = performance.now() - t0;
  // A few distinct synthetic batches, so the data write is part of every step as in real training.
  const data = Array.from({ length: 4 }, () => ({
    size: batch,
    features: random(batch * 784).map((x) => (x + 1) / 2),
    labels: Int32Array.from({ length: batch }, () => Math.floor(Math.random() * 10)),
  }));
  let t = performance.now();
  engine.trainStep(data[0]!);
  await engine.sync();
  const firstStepMs = performance.now() - t;
  const warmup = quick ? 2 : 4;
  for (let i = 0; i < warmup; i++) engine.trainStep(data[i % data.length]!);
  await engine.readMetrics();
  const steps = quick ? 8 : 40;
  t = performance.now();
  for (let i = 0; i < steps; i++) engine.trainStep(data[i % data.length]!);
  const metrics = await engine.readMetrics();
  const seconds = (performance.now() - t) / 1000;
  if (!Number.isFinite(metrics.loss)) throw new Error(`MLP benchmark produced a non-finite loss ${metrics.loss}`);
  const stats = engine.stats;
  engine.destroy();
  return {
    model: '784-256-128-10', batch, optimizer: 'adam', variant: engine.plan.variant,
    createMs: Math.round(createMs), firstStepMs: Math.round(firstStepMs), timedSteps: steps,
    stepMs: round((seconds * 1000) / steps), samplesPerSecond: Math.round((steps * batch) / seconds),
    dispatchesPerStep: stats.dispatchesPerStep, pipelines: stats.pipelines,
  };
}

/** The digits end-to-end run of compute/train/digits.test.ts: accuracy and wall time. */
async function benchDigits(runtime: GpuRuntime): Promise<{ validationAccuracy: number; wallTimeMs: number; steps: number; epochs: number } | null> {
  const file = path.resolve(process.cwd(), '../shared/datasets/digits.csv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    console.log(`digits: skipped (${file} not found)`);
    return null;
  }
  const started = performance.now();
  const dataset = parseCsv(text, { header: false });
  const { train: trainSet, validation } = splitDataset(dataset, { validationFraction: 0.2, seed: 1, stratify: true });
  const normalizer = fitNormalizer(trainSet, 'minmax', { per: 'all' });
  const epochs = 12;
  const run = train(mlpClassifier(64, [64], 10), { train: applyNormalizer(trainSet, normalizer), validation: applyNormalizer(validation, normalizer) }, {
    epochs, batchSize: 32, seed: 3, optimizer: { type: 'adam', lr: 0.01 },
    schedule: { type: 'cosine', totalSteps: epochs * 44, minLr: 0.0005 }, metricsEvery: 11, evaluateEveryEpoch: false,
  }, { device: runtime });
  const result = await run.done;
  run.dispose();
  return { validationAccuracy: round(result.validation?.accuracy ?? 0), wallTimeMs: Math.round(performance.now() - started), steps: result.steps, epochs };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** numpy float32 matmul GFLOP/s per size, or null (with the reason) when numpy is unavailable. */
function numpyGflops(sizes: number[]): { results: Record<string, number> | null; note: string } {
  const program = `
import json, sys, time
try:
    import numpy as np
except ImportError:
    print(json.dumps({"error": "numpy is not installed"})); sys.exit(0)
out = {"version": np.__version__}
for n in ${JSON.stringify(sizes)}:
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b
    reps, start = 0, time.perf_counter()
    while True:
        a @ b; reps += 1
        elapsed = time.perf_counter() - start
        if elapsed > ${TARGET_SECONDS / 2} or reps >= 200: break
    out[str(n)] = 2 * n ** 3 * reps / elapsed / 1e9
print(json.dumps(out))
`;
  try {
    const parsed = JSON.parse(execFileSync(pythonWithNumpy(), ['-c', program], { encoding: 'utf8', timeout: 120_000 }).trim()) as Record<string, unknown>;
    if (typeof parsed['error'] === 'string') return { results: null, note: parsed['error'] };
    const results: Record<string, number> = {};
    for (const n of sizes) results[String(n)] = round(Number(parsed[String(n)]));
    return { results, note: `numpy ${String(parsed['version'])}` };
  } catch (e) {
    return { results: null, note: `python3 failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

async function main(): Promise<void> {
  const gpu = await createNodeGpu();
  const runtime = new GpuRuntime(gpu.device);
  const info = gpu.adapterInfo;
  const chosen = chooseVariant(info, gpu.isFallbackAdapter);
  console.log(`adapter: ${info.vendor} ${info.architecture} (${info.description}); fallback=${gpu.isFallbackAdapter}; chosen variant: ${chosen}`);

  const mlp = await benchMlp(runtime);
  console.log(`mlp ${mlp.model} batch ${mlp.batch} ${mlp.optimizer} (${mlp.variant}): ${mlp.samplesPerSecond} samples/s, ${mlp.stepMs} ms/step over ${mlp.timedSteps} steps; first step ${mlp.firstStepMs} ms, create ${mlp.createMs} ms; ${mlp.dispatchesPerStep} dispatches/step, ${mlp.pipelines} pipelines`);
  const digits = await benchDigits(runtime);
  if (digits) console.log(`digits 64-64-10: validation accuracy ${(digits.validationAccuracy * 100).toFixed(1)}% in ${(digits.wallTimeMs / 1000).toFixed(1)} s (${digits.epochs} epochs, ${digits.steps} steps)`);

  const results: MatmulResult[] = [];
  const skipped: string[] = [];
  for (const def of [matmulBlocked, matmulTiled]) {
    for (const n of SIZES) {
      if (quick && performance.now() - started > QUICK_BUDGET_MS) {
        skipped.push(`${def.variant}@${n}`);
        console.log(`matmul ${String(n).padStart(4)}  ${def.variant.padEnd(12)}  skipped (--quick time budget)`);
        continue;
      }
      const r = await timeMatmul(runtime, def, n);
      results.push(r);
      console.log(`matmul ${String(n).padStart(4)}  ${def.variant.padEnd(12)}  ${r.gflops.toFixed(3).padStart(8)} GFLOP/s  (${r.reps} reps, compile ${r.compileMs} ms)`);
    }
  }

  const validation = validationThroughput(quick ? 500 : 2_000);
  for (const v of validation) console.log(`validation + shape inference, 50-node ${v.graph}: ${v.graphsPerSecond} graphs/s`);

  const numpy = numpyGflops(SIZES);
  console.log(numpy.results ? `numpy: ${JSON.stringify(numpy.results)} (${numpy.note})` : `numpy: null (${numpy.note}; install numpy to compare)`);

  const ratio: Record<string, Record<string, number | null>> = {};
  for (const r of results) {
    const np = numpy.results?.[String(r.n)];
    (ratio[r.variant] ??= {})[String(r.n)] = np ? round(r.gflops / np) : null;
  }

  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const summary = {
    bench: 'compute',
    quick,
    adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description, fallback: gpu.isFallbackAdapter },
    chosenVariant: chosen,
    mlpTraining: mlp,
    digits,
    matmulGflops: Object.fromEntries(
      [...new Set(results.map((r) => r.variant))].map((v) => [v, Object.fromEntries(results.filter((r) => r.variant === v).map((r) => [String(r.n), r.gflops]))]),
    ),
    skipped,
    validationGraphsPerSecond: Object.fromEntries(validation.map((v) => [v.graph, v.graphsPerSecond])),
    validationTarget: VALIDATION_TARGET_GRAPHS_PER_SECOND,
    numpyGflops: numpy.results,
    numpyNote: numpy.note,
    ratioToNumpy: numpy.results ? ratio : null,
    peakRssMB,
  };
  gpu.destroy();
  console.log(JSON.stringify(summary));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
