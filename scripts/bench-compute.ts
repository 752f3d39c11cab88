/**
 * Compute benchmark: f32 matmul GFLOP/s for both kernel variants on Dawn (SwiftShader when there is
 * no GPU), the same products with numpy when python3 has it, and peak RSS. Prints human-readable
 * lines, then ONE JSON line last.
 *
 *   node --import tsx scripts/bench-compute.ts [--quick]
 *
 * --quick keeps every measurement short (one timed repetition for the slowest cases) so the whole
 * run stays well under a minute on two CPU cores.
 */
import { execFileSync } from 'node:child_process';
import { createNodeGpu } from '../compute/gpu/node-device';
import { GpuRuntime } from '../compute/gpu/runtime';
import { chooseVariant } from '../compute/kernels/choose-variant';
import { matmulBlocked } from '../compute/kernels/matmul-blocked';
import type { MatmulParams } from '../compute/kernels/matmul-params';
import { matmulTiled } from '../compute/kernels/matmul-tiled';
import type { KernelDef } from '../compute/kernels/types';

const quick = process.argv.includes('--quick');
const SIZES = [256, 512, 1024];
/** Seconds of timed work to aim for per measurement. */
const TARGET_SECONDS = quick ? 0.25 : 2;
/** --quick must finish within a minute even on a loaded machine: later cases are skipped past this. */
const QUICK_BUDGET_MS = 40_000;
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
    const parsed = JSON.parse(execFileSync('python3', ['-c', program], { encoding: 'utf8', timeout: 120_000 }).trim()) as Record<string, unknown>;
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
    matmulGflops: Object.fromEntries(
      [...new Set(results.map((r) => r.variant))].map((v) => [v, Object.fromEntries(results.filter((r) => r.variant === v).map((r) => [String(r.n), r.gflops]))]),
    ),
    skipped,
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
