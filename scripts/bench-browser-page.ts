/**
 * The page side of `npm run bench:browser` (bundled by esbuild, served from http://localhost):
 * trains the 784-256-128-10 MLP with Adam, batch 128, on the same synthetic batches with our engine
 * (either kernel variant, forced) and with TF.js's WebGPU backend (its custom `minimize` loop or
 * `model.fit`). window.benchRun(contender, options) runs ONE measurement, so the Node side decides
 * the order (alternating, repeated) and prints the medians.
 */
import { GpuEngine } from '../compute/engine';
import { mlpClassifier } from '../compute/graph/examples';

interface TfTensor {
  dispose(): void;
  data(): Promise<Float32Array>;
}
interface TfModel {
  apply(x: TfTensor): TfTensor;
  compile(config: { optimizer: TfOptimizer; loss: (yTrue: TfTensor, yPred: TfTensor) => TfTensor }): void;
  fit(
    x: TfTensor,
    y: TfTensor,
    config: { batchSize: number; epochs: number; shuffle: boolean; verbose: number; yieldEvery: 'never' },
  ): Promise<{ history: { loss: number[] } }>;
  dispose(): void;
}
interface TfOptimizer {
  minimize(f: () => TfTensor, returnCost: true): TfTensor;
  dispose(): void;
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
  memory(): { numBytes: number; numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
  sequential(config: { layers: unknown[] }): TfModel;
  layers: { dense(config: { units: number; inputShape?: number[]; activation?: string; kernelInitializer?: string }): unknown };
  train: { adam(lr: number): TfOptimizer };
  losses: { softmaxCrossEntropy(onehot: TfTensor, logits: TfTensor): TfTensor };
}

export type Contender = 'ours-cpu-friendly' | 'ours-tiled-shared' | 'tfjs-minimize' | 'tfjs-fit';

export interface RunResult {
  readonly contender: Contender;
  readonly samplesPerSecond: number;
  readonly stepMs: number;
  /** From the start of model creation to the first step's loss on the host (compiles included). */
  readonly timeToFirstStepMs: number;
  /** Ours: the sum of the buffers the engine allocates. TF.js: tf.memory().numBytesAllocatedInGPU, peak sampled. */
  readonly peakGpuBytes: number | null;
  readonly memoryNote: string;
  /** The first training step's loss (untimed) and the last timed step's loss: the same statistic for every contender. */
  readonly firstLoss: number;
  readonly lastLoss: number;
  readonly detail: Record<string, unknown>;
}

export interface RunOptions {
  readonly warmup: number;
  readonly steps: number;
}

const BATCH = 128;
const FEATURES = 784;
const CLASSES = 10;
const LR = 0.001;

interface Batch {
  readonly features: Float32Array;
  readonly labels: Int32Array;
}

/** The same seeded batches for every contender; features in [0, 1) like scaled pixels. */
function makeBatches(count: number): Batch[] {
  let s = 12345;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: count }, () => ({
    features: Float32Array.from({ length: BATCH * FEATURES }, next),
    labels: Int32Array.from({ length: BATCH }, () => Math.floor(next() * CLASSES)),
  }));
}

const batches = makeBatches(4);
const batchAt = (i: number): Batch => batches[i % batches.length]!;
let ourDevice: Promise<GPUDevice> | undefined;

async function runOurs(variant: 'cpu-friendly' | 'tiled-shared', { warmup, steps }: RunOptions): Promise<Omit<RunResult, 'contender'>> {
  ourDevice ??= navigator.gpu.requestAdapter().then((adapter) => {
    if (!adapter) throw new Error('No WebGPU adapter');
    return adapter.requestDevice();
  });
  const device = await ourDevice;
  const t0 = performance.now();
  const engine = await GpuEngine.create(device, mlpClassifier(FEATURES, [256, 128], CLASSES), { batchSize: BATCH, optimizer: { type: 'adam', lr: LR }, seed: 1, variant });
  const createMs = performance.now() - t0;
  engine.trainStep({ size: BATCH, ...batchAt(0) });
  const firstLoss = (await engine.readMetrics()).loss;
  const timeToFirstStepMs = performance.now() - t0;
  for (let i = 0; i < warmup; i++) engine.trainStep({ size: BATCH, ...batchAt(i + 1) });
  await engine.readMetrics();
  const start = performance.now();
  for (let i = 0; i < steps - 1; i++) engine.trainStep({ size: BATCH, ...batchAt(i) });
  // Queued before the last step without waiting: it resets the on-GPU sums, so the next read is the last step alone.
  void engine.readMetrics();
  engine.trainStep({ size: BATCH, ...batchAt(steps - 1) });
  const last = await engine.readMetrics();
  const seconds = (performance.now() - start) / 1000;
  const stats = engine.stats;
  const detail = { variant: engine.plan.variant, createMs: Math.round(createMs), dispatchesPerStep: stats.dispatchesPerStep, pipelines: stats.pipelines };
  engine.destroy();
  return {
    samplesPerSecond: (steps * BATCH) / seconds,
    stepMs: (seconds * 1000) / steps,
    timeToFirstStepMs,
    peakGpuBytes: stats.bytes,
    memoryNote: 'sum of the engine buffers',
    firstLoss,
    lastLoss: last.loss,
    detail,
  };
}

let tfReady: Promise<Tf> | undefined;

async function webgpuTf(): Promise<Tf> {
  tfReady ??= (async () => {
    const tf = (globalThis as unknown as { tf: Tf }).tf;
    if (!(await tf.setBackend('webgpu'))) throw new Error('TF.js could not start its WebGPU backend');
    await tf.ready();
    return tf;
  })();
  return tfReady;
}

function tfModel(tf: Tf): TfModel {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, inputShape: [FEATURES], activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: CLASSES }),
    ],
  });
}

/** Peak of TF.js's GPU allocation (its buffer pool included), or null where the backend does not report it. */
function memorySampler(tf: Tf): { sample(): void; peak(): number | null } {
  let peak: number | null = null;
  return {
    sample() {
      const allocated = tf.memory().numBytesAllocatedInGPU;
      if (typeof allocated === 'number') peak = Math.max(peak ?? 0, allocated);
    },
    peak: () => peak,
  };
}

const MEMORY_NOTE = 'tf.memory().numBytesAllocatedInGPU, peak sampled (includes its buffer pool, shared across runs in this page)';

/** TF.js's custom loop: the batch uploaded every step, as in our engine, the loss not read until the end. */
async function runTfjsMinimize({ warmup, steps }: RunOptions): Promise<Omit<RunResult, 'contender'>> {
  const tf = await webgpuTf();
  const memory = memorySampler(tf);
  const t0 = performance.now();
  const model = tfModel(tf);
  const optimizer = tf.train.adam(LR);
  const step = (b: Batch): TfTensor =>
    tf.tidy(() => {
      const x = tf.tensor2d(b.features, [BATCH, FEATURES]);
      const y = tf.oneHot(tf.tensor1d(b.labels, 'int32'), CLASSES);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
    });
  const first = step(batchAt(0));
  const firstLoss = (await first.data())[0]!;
  first.dispose();
  const timeToFirstStepMs = performance.now() - t0;
  memory.sample();
  const pending: TfTensor[] = [];
  for (let i = 0; i < warmup; i++) {
    pending.push(step(batchAt(i + 1)));
    memory.sample();
  }
  await pending[pending.length - 1]?.data();
  for (const l of pending.splice(0)) l.dispose();
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    pending.push(step(batchAt(i)));
    memory.sample();
  }
  const lastLoss = (await pending[pending.length - 1]!.data())[0]!;
  const seconds = (performance.now() - start) / 1000;
  for (const l of pending) l.dispose();
  model.dispose();
  optimizer.dispose();
  return {
    samplesPerSecond: (steps * BATCH) / seconds,
    stepMs: (seconds * 1000) / steps,
    timeToFirstStepMs,
    peakGpuBytes: memory.peak(),
    memoryNote: memory.peak() === null ? 'numBytesAllocatedInGPU not reported by this backend' : MEMORY_NOTE,
    firstLoss,
    lastLoss,
    detail: { backend: tf.getBackend(), loop: 'optimizer.minimize' },
  };
}

/** The given batches as one [n·128, 784] feature tensor and one-hot labels, in order. */
function stacked(tf: Tf, from: number, count: number): { x: TfTensor; y: TfTensor } {
  const features = new Float32Array(count * BATCH * FEATURES);
  const labels = new Int32Array(count * BATCH);
  for (let i = 0; i < count; i++) {
    features.set(batchAt(from + i).features, i * BATCH * FEATURES);
    labels.set(batchAt(from + i).labels, i * BATCH);
  }
  const x = tf.tensor2d(features, [count * BATCH, FEATURES]);
  const indices = tf.tensor1d(labels, 'int32');
  const y = tf.oneHot(indices, CLASSES);
  indices.dispose();
  return { x, y };
}

/**
 * TF.js's model.fit: one epoch over the timed batches in order (no shuffle, no per-batch callbacks,
 * no yielding). fit reports an epoch's mean loss, so the last step is its own one-batch fit call:
 * the timed span is both calls, the data upload included.
 */
async function runTfjsFit({ warmup, steps }: RunOptions): Promise<Omit<RunResult, 'contender'>> {
  const tf = await webgpuTf();
  const memory = memorySampler(tf);
  const t0 = performance.now();
  const model = tfModel(tf);
  const optimizer = tf.train.adam(LR);
  model.compile({ optimizer, loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const fit = async (from: number, count: number): Promise<number> => {
    const { x, y } = stacked(tf, from, count);
    const history = await model.fit(x, y, { batchSize: BATCH, epochs: 1, shuffle: false, verbose: 0, yieldEvery: 'never' });
    memory.sample();
    x.dispose();
    y.dispose();
    return history.history.loss[0]!;
  };
  const firstLoss = await fit(0, 1);
  const timeToFirstStepMs = performance.now() - t0;
  if (warmup > 0) await fit(1, warmup);
  const start = performance.now();
  if (steps > 1) await fit(0, steps - 1);
  const lastLoss = await fit(steps - 1, 1);
  const seconds = (performance.now() - start) / 1000;
  model.dispose();
  optimizer.dispose();
  return {
    samplesPerSecond: (steps * BATCH) / seconds,
    stepMs: (seconds * 1000) / steps,
    timeToFirstStepMs,
    peakGpuBytes: memory.peak(),
    memoryNote: memory.peak() === null ? 'numBytesAllocatedInGPU not reported by this backend' : MEMORY_NOTE,
    firstLoss,
    lastLoss,
    detail: { backend: tf.getBackend(), loop: 'model.fit' },
  };
}

async function benchRun(contender: Contender, options: RunOptions): Promise<RunResult> {
  const run =
    contender === 'ours-cpu-friendly' ? runOurs('cpu-friendly', options)
    : contender === 'ours-tiled-shared' ? runOurs('tiled-shared', options)
    : contender === 'tfjs-minimize' ? runTfjsMinimize(options)
    : runTfjsFit(options);
  return { contender, ...(await run) };
}

async function adapterInfo(): Promise<{ vendor: string; architecture: string; description: string; isFallbackAdapter: boolean }> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('No WebGPU adapter');
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return { vendor: info.vendor, architecture: info.architecture, description: info.description, isFallbackAdapter: Boolean(info.isFallbackAdapter) };
}

Object.assign(globalThis, { benchRun, benchAdapter: adapterInfo });
