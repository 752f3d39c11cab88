/**
 * `npm run bench:browser [-- --quick]`: our WebGPU engine against TensorFlow.js's WebGPU backend in
 * headless Chromium on the same adapter (SwiftShader, a CPU emulation of a GPU: flags from
 * e2e/chromium.ts), in one page: the 784-256-128-10 MLP, Adam, batch 128, the same synthetic
 * batches and number of steps. Four contenders: ours in both kernel variants (forced: the
 * barrier-free one chosen for CPU adapters and the shared-memory tiled one real GPUs get) and
 * TF.js's custom optimizer.minimize loop and model.fit; TF.js is compared by whichever of its loops
 * is faster. Each runs RUNS times in alternating order and the median is printed, with the last
 * step's loss for every contender; the bench fails if any run's loss did not fall. The page is an
 * esbuild bundle of scripts/bench-browser-page.ts served from http://localhost (WebGPU needs a
 * secure context). Prints a Markdown table, then ONE JSON line last.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { chooseVariant } from '../compute/kernels/choose-variant';
import { WEBGPU_CHROMIUM_ARGS, chromiumPath } from '../e2e/chromium';
import type { Contender, RunOptions, RunResult } from './bench-browser-page';
import { lossFailures, median } from './lib/bench-runs';

const quick = process.argv.includes('--quick');
const root = process.cwd();
const TARGET_RATIO = 1.5;
/** Measurements per contender; the median is reported. */
const RUNS = 3;
const ORDER: readonly Contender[] = ['ours-cpu-friendly', 'ours-tiled-shared', 'tfjs-minimize', 'tfjs-fit'];

const PAGE = `<!doctype html><meta charset="utf-8"><title>bench:browser</title>
<script src="/tf.min.js"></script><script src="/tf-backend-webgpu.min.js"></script><script src="/bench.js"></script>`;

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'scripts/bench-browser-page.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

async function serve(files: Record<string, { type: string; body: string | Buffer }>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0]!];
    if (!file) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}/` };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Summary {
  readonly contender: Contender;
  readonly samplesPerSecond: number;
  readonly runs: number[];
  readonly stepMs: number;
  /** Run 1's (cold: shader and pipeline compiles included). */
  readonly timeToFirstStepMs: number;
  readonly peakGpuBytes: number | null;
  readonly memoryNote: string;
  readonly firstLoss: number;
  /** The median run's last-step loss. */
  readonly lastLoss: number;
  readonly detail: Record<string, unknown>;
}

function summarise(contender: Contender, runs: readonly RunResult[]): Summary {
  const rates = runs.map((r) => r.samplesPerSecond);
  const mid = median(rates);
  const medianRun = runs.find((r) => r.samplesPerSecond === mid) ?? runs[0]!;
  const peaks = runs.map((r) => r.peakGpuBytes).filter((b): b is number => b !== null);
  return {
    contender,
    samplesPerSecond: mid,
    runs: rates.map((r) => Math.round(r)),
    stepMs: median(runs.map((r) => r.stepMs)),
    timeToFirstStepMs: runs[0]!.timeToFirstStepMs,
    peakGpuBytes: peaks.length ? Math.max(...peaks) : null,
    memoryNote: runs[0]!.memoryNote,
    firstLoss: medianRun.firstLoss,
    lastLoss: medianRun.lastLoss,
    detail: runs[0]!.detail,
  };
}

const mib = (bytes: number | null) => (bytes === null ? 'n/a' : round(bytes / 2 ** 20, 1).toFixed(1));

async function main(): Promise<void> {
  const started = performance.now();
  const js = 'text/javascript; charset=utf-8';
  const [bench, tf, tfWebgpu] = await Promise.all([
    bundle(),
    readFile(path.join(root, 'node_modules/@tensorflow/tfjs/dist/tf.min.js')),
    readFile(path.join(root, 'node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js')),
  ]);
  const tfVersion = (JSON.parse(await readFile(path.join(root, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }).version;
  const { server, url } = await serve({
    '/': { type: 'text/html; charset=utf-8', body: PAGE },
    '/bench.js': { type: js, body: bench },
    '/tf.min.js': { type: js, body: tf },
    '/tf-backend-webgpu.min.js': { type: js, body: tfWebgpu },
  });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: WEBGPU_CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => 'benchRun' in globalThis && 'tf' in globalThis, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`The bench page did not load: ${errors.join('; ') || 'benchRun or tf missing'}`);
    });
    const options: RunOptions = quick ? { warmup: 3, steps: 10 } : { warmup: 10, steps: 60 };
    const info = await page.evaluate(() => (globalThis as unknown as { benchAdapter: () => Promise<{ vendor: string; architecture: string; description: string; isFallbackAdapter: boolean }> }).benchAdapter());
    const adapter = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
    console.log(`adapter: ${adapter} (fallback=${info.isFallbackAdapter}); ${options.steps} timed steps after ${options.warmup} warm-up, batch 128, Adam, 784-256-128-10; ${RUNS} runs each, alternating`);
    const runs: RunResult[] = [];
    for (let round_ = 1; round_ <= RUNS; round_++) {
      for (const contender of ORDER) {
        const r = await page.evaluate(
          ([c, o]) => (globalThis as unknown as { benchRun: (c: Contender, o: RunOptions) => Promise<RunResult> }).benchRun(c, o),
          [contender, options] as const,
        );
        runs.push(r);
        console.log(`run ${round_} ${contender.padEnd(17)} ${String(Math.round(r.samplesPerSecond)).padStart(6)} samples/s, first step ${Math.round(r.timeToFirstStepMs)} ms, loss ${round(r.firstLoss, 4)} -> ${round(r.lastLoss, 4)}`);
      }
    }
    const summaries = Object.fromEntries(ORDER.map((c) => [c, summarise(c, runs.filter((r) => r.contender === c))])) as Record<Contender, Summary>;
    const tfjsBest = summaries['tfjs-fit'].samplesPerSecond > summaries['tfjs-minimize'].samplesPerSecond ? summaries['tfjs-fit'] : summaries['tfjs-minimize'];
    const ratio = (s: Summary) => s.samplesPerSecond / tfjsBest.samplesPerSecond;
    const label: Record<Contender, string> = {
      'ours-cpu-friendly': 'ours, barrier-free (CPU-adapter choice)',
      'ours-tiled-shared': 'ours, shared-memory tiled (GPU choice)',
      'tfjs-minimize': `TF.js ${tfVersion} webgpu, optimizer.minimize loop`,
      'tfjs-fit': `TF.js ${tfVersion} webgpu, model.fit`,
    };
    console.log('');
    console.log(`| engine | samples/s (median of ${RUNS}) | runs | ms/step | first step, run 1 | peak GPU MiB | loss first → last step | vs TF.js best |`);
    console.log('|---|---:|---|---:|---:|---:|---|---:|');
    for (const s of Object.values(summaries)) {
      console.log(
        `| ${label[s.contender]}${s === tfjsBest ? ' (TF.js best)' : ''} | ${Math.round(s.samplesPerSecond)} | ${s.runs.join(', ')} | ${round(s.stepMs)} | ${Math.round(s.timeToFirstStepMs)} ms | ${mib(s.peakGpuBytes)} | ${round(s.firstLoss, 3)} → ${round(s.lastLoss, 3)} | ${ratio(s).toFixed(2)}x |`,
      );
    }
    console.log('');
    console.log(`TF.js's faster loop here: ${tfjsBest.detail['loop']}. TF.js memory: ${summaries['tfjs-minimize'].memoryNote}; ours: the sum of the engine's buffers.`);
    const chosen: Contender = chooseVariant(info, info.isFallbackAdapter) === 'cpu-friendly' ? 'ours-cpu-friendly' : 'ours-tiled-shared';
    const chosenRatio = ratio(summaries[chosen]);
    console.log(`ratio ours (${chosen}, the variant this adapter gets) / TF.js best: ${round(chosenRatio, 2)}x (target >= ${TARGET_RATIO}x: ${chosenRatio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
    const failures = lossFailures(runs);
    const summary = {
      benchmark: 'bench:browser',
      quick,
      model: '784-256-128-10',
      batch: 128,
      optimizer: 'adam',
      warmup: options.warmup,
      steps: options.steps,
      runs: RUNS,
      adapter,
      isFallbackAdapter: info.isFallbackAdapter,
      tfjsVersion: tfVersion,
      tfjsBestLoop: tfjsBest.detail['loop'],
      contenders: Object.fromEntries(
        Object.values(summaries).map((s) => [
          s.contender,
          {
            samplesPerSecond: Math.round(s.samplesPerSecond),
            runs: s.runs,
            stepMs: round(s.stepMs, 2),
            timeToFirstStepMs: Math.round(s.timeToFirstStepMs),
            peakGpuBytes: s.peakGpuBytes,
            firstLoss: round(s.firstLoss, 4),
            lastLoss: round(s.lastLoss, 4),
            ratioToTfjsBest: round(ratio(s), 2),
            ...s.detail,
          },
        ]),
      ),
      chosenVariant: chosen,
      ratio: round(chosenRatio, 2),
      targetRatio: TARGET_RATIO,
      targetMet: chosenRatio >= TARGET_RATIO,
      lossFellInEveryRun: failures.length === 0,
      wallTimeMs: Math.round(performance.now() - started),
    };
    console.log(JSON.stringify(summary));
    if (failures.length > 0) throw new Error(`The loss did not fall in ${failures.length} run(s), so these timings measure broken training: ${failures.join('; ')}`);
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
