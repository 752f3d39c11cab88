/**
 * The page side of `npm run bench:browser` (bundled by esbuild, served from http://localhost):
 * trains the 784-256-128-10 MLP with Adam, batch 128, on the same synthetic batches with our
 * engine and with TF.js's WebGPU backend, on this browser's adapter. window.runBench() returns
 * both measurements; the Node side prints them.
 */
import { GpuEngine } from '../compute/engine';
import { mlpClassifier } from '../compute/graph/examples';

interface TfTensor {
  dispose(): void;
  data(): Promise<Float32Array>;
}
interface TfLayer {
  apply(x: TfTensor): TfTensor;
}
/** The slice of the TF.js global (tf.min.js + tf-backend-webgpu.min.js) this page uses. */
interface Tf {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tidy<T>(fn: () => T): T;
  tensor2d(values: Float32Array, shape: [number, number]): TfTensor;
  tensor1d(values: Int32Array, dtype: 'int32'): TfTensor;
  oneHot(indices: TfTensor, depth: number): TfTensor;
  memory(): { numBytes: number; numBytesInGPU?: number; numBytesInGPUAllocated?: number };
  sequential(config: { layers: TfLayer[] }): TfLayer;
  layers: { dense(config: { units: number; inputShape?: number[]; activation?: string; kernelInitializer?: string }): TfLayer };
  train: { adam(lr: number): { minimize(f: () => TfTensor, returnCost: true): TfTensor } };
  losses: { softmaxCrossEntropy(onehot: TfTensor, logits: TfTensor): TfTensor };
  env(): { set(flag: string, value: unknown): void };
}

export interface EngineResult {
  samplesPerSecond: number;
  stepMs: number;
  timeToFirstStepMs: number;
  peakGpuBytes: number;
  finalLoss: number;
  detail: Record<string, unknown>;
}

export interface BenchResult {
  adapter: { vendor: string; architecture: string; description: string };
  ours: EngineResult;
  tfjs: EngineResult;
}

const BATCH = 128;
const FEATURES = 784;
const CLASSES = 10;

/** The same seeded batches for both engines; features in [0, 1) like scaled pixels. */
function makeBatches(count: number): { features: Float32Array; labels: Int32Array }[] {
  let s = 12345;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, () => ({
    features: Float32Array.from({ length: BATCH * FEATURES }, next),
    labels: Int32Array.from({ length: BATCH }, () => Math.floor(next() * CLASSES)),
  }));
}

async function benchOurs(device: GPUDevice, batches: ReturnType<typeof makeBatches>, warmup: number, steps: number): Promise<EngineResult> {
  const t0 = performance.now();
  const engine = await GpuEngine.create(device, mlpClassifier(FEATURES, [256, 128], CLASSES), { batchSize: BATCH, optimizer: { type: 'adam', lr: 0.001 }, seed: 1 });
  const createMs = performance.now() - t0;
  engine.trainStep({ size: BATCH, ...batches[0]! });
  await engine.sync();
  const timeToFirstStepMs = performance.now() - t0;
  for (let i = 0; i < warmup; i++) engine.trainStep({ size: BATCH, ...batches[(i + 1) % batches.length]! });
  await engine.readMetrics();
  const start = performance.now();
  for (let i = 0; i < steps; i++) engine.trainStep({ size: BATCH, ...batches[i % batches.length]! });
  const metrics = await engine.readMetrics();
  const seconds = (performance.now() - start) / 1000;
  const stats = engine.stats;
  engine.destroy();
  return {
    samplesPerSecond: (steps * BATCH) / seconds,
    stepMs: (seconds * 1000) / steps,
    timeToFirstStepMs,
    peakGpuBytes: stats.bytes,
    finalLoss: metrics.loss,
    detail: { variant: engine.plan.variant, createMs: Math.round(createMs), dispatchesPerStep: stats.dispatchesPerStep, pipelines: stats.pipelines },
  };
}

async function benchTfjs(batches: ReturnType<typeof makeBatches>, warmup: number, steps: number): Promise<EngineResult> {
  const tf = (globalThis as unknown as { tf: Tf }).tf;
  if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its WebGPU backend');
  await tf.ready();
  let peak = 0;
  const sample = () => {
    const m = tf.memory();
    peak = Math.max(peak, m.numBytesInGPUAllocated ?? m.numBytesInGPU ?? m.numBytes);
  };
  const t0 = performance.now();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, inputShape: [FEATURES], activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: CLASSES }),
    ],
  });
  const optimizer = tf.train.adam(0.001);
  // A custom loop (TF.js's fastest training path): the batch is uploaded every step, as in our
  // engine, and the loss is not read back until the end.
  const step = (b: { features: Float32Array; labels: Int32Array }): TfTensor =>
    tf.tidy(() => {
      const x = tf.tensor2d(b.features, [BATCH, FEATURES]);
      const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), CLASSES);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
    });
  let loss = step(batches[0]!);
  await loss.data();
  loss.dispose();
  const timeToFirstStepMs = performance.now() - t0;
  sample();
  for (let i = 0; i < warmup; i++) {
    loss = step(batches[(i + 1) % batches.length]!);
    sample();
    if (i < warmup - 1) loss.dispose();
  }
  await loss.data();
  loss.dispose();
  const start = performance.now();
  const losses: TfTensor[] = [];
  for (let i = 0; i < steps; i++) {
    losses.push(step(batches[i % batches.length]!));
    sample();
  }
  const finalLoss = (await losses[losses.length - 1]!.data())[0]!;
  const seconds = (performance.now() - start) / 1000;
  for (const l of losses) l.dispose();
  return {
    samplesPerSecond: (steps * BATCH) / seconds,
    stepMs: (seconds * 1000) / steps,
    timeToFirstStepMs,
    peakGpuBytes: peak,
    finalLoss,
    detail: { backend: tf.getBackend() },
  };
}

async function runBench(options: { warmup: number; steps: number }): Promise<BenchResult> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('No WebGPU adapter');
  const device = await adapter.requestDevice();
  const batches = makeBatches(4);
  const ours = await benchOurs(device, batches, options.warmup, options.steps);
  device.destroy();
  const tfjs = await benchTfjs(batches, options.warmup, options.steps);
  return { adapter: { vendor: adapter.info.vendor, architecture: adapter.info.architecture, description: adapter.info.description }, ours, tfjs };
}

(globalThis as unknown as { runBench: typeof runBench }).runBench = runBench;
