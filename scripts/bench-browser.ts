/**
 * `npm run bench:browser [-- --quick]`: our WebGPU engine against TensorFlow.js's WebGPU backend in
 * headless Chromium on the same SwiftShader adapter (flags from e2e/chromium.ts), side by side in
 * one page: the 784-256-128-10 MLP, Adam, batch 128, the same synthetic batches and number of
 * steps. Reports samples/s for each and the ratio, time to first step (pipeline/shader compiles
 * included) and peak GPU buffer memory (ours: the sum of the buffers the engine allocates; TF.js:
 * tf.memory()). The page is an esbuild bundle of scripts/bench-browser-page.ts served from
 * http://localhost (WebGPU needs a secure context). Prints ONE JSON line last.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { WEBGPU_CHROMIUM_ARGS, chromiumPath } from '../e2e/chromium';
import type { BenchResult } from './bench-browser-page';

const quick = process.argv.includes('--quick');
const root = process.cwd();
const TARGET_RATIO = 1.5;

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
    await page.waitForFunction(() => 'runBench' in globalThis && 'tf' in globalThis, undefined, { timeout: 30_000 }).catch(() => {
      throw new Error(`The bench page did not load: ${errors.join('; ') || 'runBench or tf missing'}`);
    });
    const options = quick ? { warmup: 3, steps: 10 } : { warmup: 10, steps: 60 };
    const result = (await page.evaluate((o) => (globalThis as unknown as { runBench: (o: unknown) => Promise<unknown> }).runBench(o), options)) as BenchResult;
    const ratio = result.ours.samplesPerSecond / result.tfjs.samplesPerSecond;
    const adapter = [result.adapter.vendor, result.adapter.architecture, result.adapter.description].filter(Boolean).join(' ');
    console.log(`adapter: ${adapter}; ${options.steps} timed steps after ${options.warmup} warm-up, batch 128, Adam, 784-256-128-10`);
    for (const [name, r] of [['ours', result.ours], [`tfjs ${tfVersion} webgpu`, result.tfjs]] as const) {
      console.log(`${name}: ${Math.round(r.samplesPerSecond)} samples/s (${round(r.stepMs)} ms/step), first step ${Math.round(r.timeToFirstStepMs)} ms, peak GPU ${round(r.peakGpuBytes / 2 ** 20, 2)} MiB, loss ${round(r.finalLoss, 4)} (ours: mean over the timed steps; tfjs: last step) ${JSON.stringify(r.detail)}`);
    }
    console.log(`ratio ours/tfjs: ${round(ratio, 2)}x (target >= ${TARGET_RATIO}x: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`);
    const summary = {
      benchmark: 'bench:browser',
      quick,
      model: '784-256-128-10',
      batch: 128,
      optimizer: 'adam',
      steps: options.steps,
      adapter,
      ours: {
        samplesPerSecond: Math.round(result.ours.samplesPerSecond),
        stepMs: round(result.ours.stepMs, 2),
        timeToFirstStepMs: Math.round(result.ours.timeToFirstStepMs),
        peakGpuBytes: result.ours.peakGpuBytes,
        ...result.ours.detail,
      },
      tfjs: {
        version: tfVersion,
        samplesPerSecond: Math.round(result.tfjs.samplesPerSecond),
        stepMs: round(result.tfjs.stepMs, 2),
        timeToFirstStepMs: Math.round(result.tfjs.timeToFirstStepMs),
        peakGpuBytes: result.tfjs.peakGpuBytes,
      },
      ratio: round(ratio, 2),
      targetRatio: TARGET_RATIO,
      targetMet: ratio >= TARGET_RATIO,
      wallTimeMs: Math.round(performance.now() - started),
    };
    console.log(JSON.stringify(summary));
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
