/**
 * Runner backends benchmark: the same job — the 784-256-128-10 MLP, batch 128, Adam (lr 0.001),
 * seed 1, two epochs of STEPS steps each on synthetic Gaussian blobs (10 classes, 784 features,
 * compute/data/synthetic makeBlobs, fixed seed) — on every backend this machine has:
 *   dawn-swiftshader  compute/train's train() on Dawn's adapter (both kernel variants), and
 *   torch-cpu         node-runner/torch's trainOnTorch (the same loop, torch doing the steps).
 * Three rounds alternate the backends; each figure is the median over the rounds:
 *   samplesPerSecond  of the second epoch (the first carries shader compilation / torch warm-up);
 *   firstStepMs       a separate one-step job from a cold start: for Dawn a fresh GpuRuntime (so no
 *                     cached pipelines) on the already-open device, for torch a new executor
 *                     process (spawn, torch import, model build, first step);
 *   peak memory       torch: the child's peak RSS (VmHWM); Dawn: the engine's GPU buffer bytes;
 *   losses            the mean loss of each epoch (trainOnTorch reports per epoch), and whether it fell.
 * Prints progress lines, then ONE JSON line last.
 *
 *   node --import tsx scripts/bench-runner.ts [--quick]
 */
import { readFileSync } from 'node:fs';
import { makeBlobs } from '../compute/data/synthetic';
import type { Dataset } from '../compute/data/dataset';
import { GpuEngine } from '../compute/engine/gpu-engine';
import { mlpClassifier } from '../compute/graph/examples';
import { createNodeGpu, type NodeGpu } from '../compute/gpu/node-device';
import { GpuRuntime } from '../compute/gpu/runtime';
import { chooseVariant } from '../compute/kernels/choose-variant';
import { train } from '../compute/train/train';
import type { TrainConfigInput } from '../compute/train/train-config';
import { TorchExecutor } from '../node-runner/torch/torch-executor';
import { trainOnTorch } from '../node-runner/torch/torch-training';

const quick = process.argv.includes('--quick');
const STEPS = quick ? 3 : 12;
const ROUNDS = 3;
const BATCH = 128;
const VARIANTS = ['cpu-friendly', 'tiled-shared'] as const;
type Variant = (typeof VARIANTS)[number];

const graph = () => mlpClassifier(784, [256, 128], 10);
const config = (steps: number, epochs: number): TrainConfigInput => ({
  epochs, batchSize: BATCH, seed: 1, shuffle: true, evaluateEveryEpoch: false, optimizer: { type: 'adam', lr: 0.001 },
  metricsEvery: Math.max(1, steps),
});
const dataset = (steps: number): Dataset =>
  makeBlobs({ numClasses: 10, numFeatures: 784, pointsPerClass: Math.ceil((steps * BATCH) / 10), spread: 1, centerRange: 1, seed: 3 });

interface Run {
  readonly samplesPerSecond: number;
  readonly epochLosses: readonly number[];
}

function runOf(epochs: readonly { loss: number; samplesPerSecond: number }[]): Run {
  if (epochs.length !== 2) throw new Error(`expected 2 epochs, got ${epochs.length}`);
  for (const e of epochs) if (!Number.isFinite(e.loss)) throw new Error(`non-finite loss ${e.loss}`);
  return { samplesPerSecond: epochs[1]!.samplesPerSecond, epochLosses: epochs.map((e) => e.loss) };
}

async function dawnJob(gpu: NodeGpu, variant: Variant, steps: number, epochs: number): Promise<{ ms: number; run: Run | undefined }> {
  const t = performance.now();
  // A fresh runtime per job: its pipeline cache starts empty, so every job compiles its shaders.
  const run = train(graph(), { train: dataset(steps) }, config(steps, epochs), { device: new GpuRuntime(gpu.device), variant });
  try {
    const result = await run.done;
    return { ms: performance.now() - t, run: epochs === 2 ? runOf(result.epochs) : undefined };
  } finally {
    run.dispose();
  }
}

async function torchJob(steps: number, epochs: number): Promise<{ ms: number; run: Run | undefined; peakRssMB: number | null; torch: string }> {
  const t = performance.now();
  const executor = await TorchExecutor.start({ device: 'cpu' });
  try {
    const result = await trainOnTorch(graph(), { train: dataset(steps) }, config(steps, epochs), { executor });
    const ms = performance.now() - t;
    return { ms, run: epochs === 2 ? runOf(result.epochs) : undefined, peakRssMB: peakRssMB(executor.process.pid), torch: executor.process.info.torch };
  } finally {
    await executor.shutdown();
  }
}

/** Linux's high-water mark of a process's resident set; null where /proc is not there. */
function peakRssMB(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

async function main(): Promise<void> {
  const gpu = await createNodeGpu();
  const info = gpu.adapterInfo;
  const chosen = chooseVariant(info, gpu.isFallbackAdapter);
  console.log(`adapter: ${info.vendor} ${info.architecture} (${info.description}); fallback=${gpu.isFallbackAdapter}; engine's own variant: ${chosen}`);

  const dawn = Object.fromEntries(VARIANTS.map((v) => [v, { firstStepMs: [] as number[], runs: [] as Run[] }]));
  const torch = { firstStepMs: [] as number[], runs: [] as Run[], peakRssMB: [] as number[], version: '' };
  for (let r = 0; r < ROUNDS; r++) {
    for (const variant of VARIANTS) {
      const first = await dawnJob(gpu, variant, 1, 1);
      const full = await dawnJob(gpu, variant, STEPS, 2);
      dawn[variant]!.firstStepMs.push(first.ms);
      dawn[variant]!.runs.push(full.run!);
      console.log(`round ${r + 1} dawn ${variant}: ${Math.round(full.run!.samplesPerSecond)} samples/s, first step ${Math.round(first.ms)} ms, epoch losses ${full.run!.epochLosses.map((l) => l.toFixed(4)).join(' -> ')}`);
    }
    const first = await torchJob(1, 1);
    const full = await torchJob(STEPS, 2);
    torch.firstStepMs.push(first.ms);
    torch.runs.push(full.run!);
    for (const m of [first.peakRssMB, full.peakRssMB]) if (m !== null) torch.peakRssMB.push(m);
    torch.version = full.torch;
    console.log(`round ${r + 1} torch-cpu: ${Math.round(full.run!.samplesPerSecond)} samples/s, first step ${Math.round(first.ms)} ms, epoch losses ${full.run!.epochLosses.map((l) => l.toFixed(4)).join(' -> ')}, peak RSS ${full.peakRssMB} MB`);
  }

  // After the timed jobs, so that none of them finds these engines' shaders already compiled.
  const bytes: Record<string, number> = {};
  for (const variant of VARIANTS) {
    const engine = await GpuEngine.create(new GpuRuntime(gpu.device), graph(), { batchSize: BATCH, optimizer: { type: 'adam', lr: 0.001 }, seed: 1, variant });
    bytes[variant] = engine.stats.bytes;
    engine.destroy();
  }

  const summarise = (runs: readonly Run[]) => {
    const last = runs[runs.length - 1]!;
    return {
      samplesPerSecond: Math.round(median(runs.map((x) => x.samplesPerSecond))),
      samplesPerSecondRuns: runs.map((x) => Math.round(x.samplesPerSecond)),
      epochLosses: last.epochLosses.map((l) => round(l)),
      lossFell: runs.every((x) => x.epochLosses[1]! < x.epochLosses[0]!),
    };
  };
  const backends = {
    'dawn-swiftshader': Object.fromEntries(VARIANTS.map((v) => [v, { ...summarise(dawn[v]!.runs), firstStepMs: Math.round(median(dawn[v]!.firstStepMs)), gpuBufferBytes: bytes[v] }])),
    'torch-cpu': { ...summarise(torch.runs), firstStepMs: Math.round(median(torch.firstStepMs)), peakRssMB: torch.peakRssMB.length ? Math.max(...torch.peakRssMB) : null, torch: torch.version },
  };
  const bestDawn = Math.max(...VARIANTS.map((v) => backends['dawn-swiftshader'][v]!.samplesPerSecond));
  const summary = {
    bench: 'runner',
    quick,
    job: { model: '784-256-128-10', batch: BATCH, optimizer: 'adam', lr: 0.001, data: 'synthetic blobs (784 features, 10 classes)', epochs: 2, stepsPerEpoch: STEPS, rounds: ROUNDS },
    adapter: { vendor: info.vendor, architecture: info.architecture, description: info.description, fallback: gpu.isFallbackAdapter, engineVariant: chosen },
    backends,
    allLossesFell: VARIANTS.every((v) => backends['dawn-swiftshader'][v]!.lossFell) && backends['torch-cpu'].lossFell,
    ratioTorchCpuToBestDawn: round(backends['torch-cpu'].samplesPerSecond / Math.max(1, bestDawn), 2),
    nodePeakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  gpu.destroy();
  console.log(JSON.stringify(summary));
  if (!summary.allLossesFell) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
