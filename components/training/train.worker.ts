/// <reference lib="webworker" />
/**
 * Trains in a dedicated Web Worker so the page stays responsive: WebGPU (navigator.gpu exists in
 * workers in Chromium) through compute/train, or compute/model's CPU trainer when there is no
 * adapter. One run at a time; a new start disposes the previous run.
 */
import type { Dataset } from '@/compute/data';
import { getBatch } from '@/compute/data';
import { exportOnnx, exportPyTorch, loadWeights, modelMetadataEntries, saveWeights, type ModelMetadata } from '@/compute/export';
import { buildModelPlan, feedFromBatch, forward, type ModelPlan, type ParameterSet } from '@/compute/model';
import { parseTrainConfig, train, type TrainConfig } from '@/compute/train';
import { loadedRun, trainOnCpu, type RunHandle } from './cpu-run';
import { boundaryPlot } from './decision-plot';
import { evaluationMetrics } from './evaluation-metrics';
import { onnxCheckData } from './onnx-check-data';
import { predictRows } from './predict-rows';
import { prepareData, type PreparedData } from '@/compute/train/prepare-data';
import type { AdapterInfo, EvaluationReport, ExportFormat, ExportedFile, FromWorker, GpuProbe, OnnxCheckData, SamplePrediction, SplitEvaluation, ToWorker } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

interface Current {
  readonly runId: string;
  readonly handle: RunHandle;
  readonly plan: ModelPlan;
  /** Null for a loaded run whose dataset is not at hand: it predicts and exports, but cannot evaluate. */
  readonly data: PreparedData | null;
  readonly config: TrainConfig;
  /** What the model needs besides weights to run on raw rows; it goes into every export. */
  readonly model: ModelMetadata;
}

let current: Current | null = null;
let devicePromise: Promise<{ device: GPUDevice; adapter: AdapterInfo }> | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One device for the worker's lifetime: pipelines compiled for one run are reused by the next. */
function gpuDevice(): Promise<{ device: GPUDevice; adapter: AdapterInfo }> {
  devicePromise ??= (async () => {
    if (!('gpu' in navigator) || !navigator.gpu) throw new Error('This browser has no WebGPU (navigator.gpu is missing in workers).');
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) throw new Error('WebGPU is present but no adapter is available (blocklisted GPU, or GPU access is disabled).');
    const info = adapter.info;
    const device = await adapter.requestDevice({
      requiredLimits: {
        // Ask for what the adapter offers: larger layers need more than the 128 MiB default binding.
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    device.lost.then(() => (devicePromise = null)).catch(() => undefined);
    return {
      device,
      adapter: {
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
        isFallbackAdapter: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
      },
    };
  })();
  devicePromise.catch(() => (devicePromise = null));
  return devicePromise;
}

async function probe(): Promise<GpuProbe> {
  try {
    return { ok: true, adapter: (await gpuDevice()).adapter };
  } catch (error) {
    return { ok: false, reason: errorText(error) };
  }
}

/** The current run's weights (copied: the next run updates them in place) and scaling, to continue from. */
async function continuation(): Promise<{ weights: ParameterSet; preprocessing: Current['model']['preprocessing'] }> {
  if (!current) throw new Error('Load a saved run (or train one) before continuing training.');
  const weights: ParameterSet = new Map();
  for (const [name, t] of await current.handle.getWeights()) weights.set(name, { shape: [...t.shape], data: t.data.slice() });
  return { weights, preprocessing: current.model.preprocessing };
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const { runId } = message;
  let from: Awaited<ReturnType<typeof continuation>> | undefined;
  try {
    if (message.continueCurrent) from = await continuation();
  } catch (error) {
    post({ type: 'failed', runId, message: errorText(error) });
    return;
  }
  current?.handle.dispose();
  current = null;
  try {
    const config = parseTrainConfig(message.config);
    const plan = buildModelPlan(message.graph);
    if (from) {
      try {
        loadWeights(saveWeights(from.weights), { plan });
      } catch (error) {
        throw new Error(`The loaded weights do not fit this graph: ${errorText(error)}`);
      }
    }
    // Continued weights were trained on scaled features: the same scaling, not one refitted to this data.
    const data = prepareData(message.data, config.validationFraction, config.testFraction, config.seed, from?.preprocessing.kind ?? message.preprocessing, from?.preprocessing);
    const batchSize = Math.min(config.batchSize, data.train.size);
    post({ type: 'data', runId, summary: data.summary, totalSteps: config.epochs * Math.floor(data.train.size / batchSize) });
    const sets = { train: data.train, validation: data.validation, test: data.test };
    const onProgress = (event: Parameters<NonNullable<Parameters<typeof train>[3]['onProgress']>>[0]) => post({ type: 'progress', runId, event });
    let handle: RunHandle;
    if (message.backend === 'webgpu') {
      const { device } = await gpuDevice();
      handle = train(plan, sets, config, { device, onProgress, ...(from ? { initialWeights: from.weights } : {}) });
    } else {
      handle = trainOnCpu(plan, sets, config, onProgress, from?.weights);
    }
    const { preprocessing, classNames, inputColumns } = data.summary;
    current = { runId, handle, plan, data, config, model: { preprocessing, classNames, ...(inputColumns ? { inputColumns } : {}) } };
    const result = await handle.done;
    post({
      type: 'done', runId,
      outcome: {
        status: result.status, steps: result.steps, wallTimeMs: result.wallTimeMs, validationAccuracy: result.validation?.accuracy ?? null, validationLoss: result.validation?.loss ?? null,
        testAccuracy: result.test?.accuracy ?? null, testLoss: result.test?.loss ?? null,
        bestEpoch: result.earlyStopping?.bestEpoch ?? null, stoppedEarly: result.earlyStopping?.stoppedEarly ?? false,
      },
    });
  } catch (error) {
    post({ type: 'failed', runId, message: errorText(error) });
  }
}

function outputWidth(plan: ModelPlan): number {
  return plan.outputs[0]!.shape.reduce((a, b) => a * b, 1);
}

/** Inference on the CPU executor with the run's current weights: our reference forward pass. */
function cpuForward(plan: ModelPlan, params: ParameterSet, dataset: Dataset, count: number): { features: Float32Array; logits: Float32Array } {
  const batch = getBatch(dataset, 0, Math.min(count, dataset.size));
  const out = forward(plan, params, { batch: batch.size, inputs: feedFromBatch(plan, batch).inputs }, { training: false });
  const logits = out.values.get(plan.outputs[0]!.source)!;
  return { features: Float32Array.from(batch.features), logits: Float32Array.from(logits) };
}

/** Predictions for the first rows; they show the rows as the user wrote them (`raw`), not as scaled. */
function samplePredictions(plan: ModelPlan, params: ParameterSet, dataset: Dataset, count: number, raw: Dataset): SamplePrediction[] {
  if (dataset.task !== 'classification') return [];
  const { logits } = cpuForward(plan, params, dataset, count);
  const features = getBatch(raw, 0, Math.min(count, raw.size)).features;
  const width = outputWidth(plan);
  const perRow = features.length / Math.max(1, logits.length / width);
  const out: SamplePrediction[] = [];
  for (let r = 0; r < logits.length / width; r++) {
    const row = logits.subarray(r * width, (r + 1) * width);
    let best = 0;
    for (let c = 1; c < width; c++) if (row[c]! > row[best]!) best = c;
    let sum = 0;
    for (let c = 0; c < width; c++) sum += Math.exp(row[c]! - row[best]!);
    out.push({ features: Array.from(features.subarray(r * perRow, (r + 1) * perRow)), predicted: best, actual: dataset.labels[r]!, confidence: 1 / sum });
  }
  return out;
}

/** One split scored with the given weights; `samples` of its rows go along as individual predictions. */
async function splitReport(run: Current, dataset: Dataset, params: ParameterSet, samples: number, raw: Dataset = dataset): Promise<SplitEvaluation> {
  const evaluation = await run.handle.evaluate(dataset);
  const width = outputWidth(run.plan);
  // Runs that do not hand back their outputs (the CPU fallback's regression path) are scored by the CPU forward pass.
  const outputs = evaluation.outputs ?? cpuForward(run.plan, params, dataset, dataset.size).logits;
  return {
    samples: evaluation.samples,
    loss: evaluation.loss,
    accuracy: evaluation.accuracy ?? null,
    confusion: evaluation.confusion ?? null,
    perClassAccuracy: evaluation.perClassAccuracy ?? null,
    metrics: evaluationMetrics(dataset, outputs, width),
    // Drawn over the raw rows in the file's units; the grid is scaled like the model's input.
    boundary: raw === dataset ? boundaryPlot(dataset, (grid) => cpuForward(run.plan, params, grid, grid.size).logits, width) : boundaryPlot(raw, (grid) => cpuForward(run.plan, params, grid, grid.size).logits, width, run.model.preprocessing),
    classNames: run.model.classNames,
    predictions: samples > 0 ? samplePredictions(run.plan, params, dataset, samples, raw) : [],
  };
}

async function evaluateNow(requestId: number): Promise<void> {
  const run = current;
  if (!run) throw new Error('Train a model first.');
  const data = run.data;
  if (!data) throw new Error('This run’s dataset is not at hand: choose the dataset it trained on, then load the run again to evaluate it.');
  const params = await run.handle.getWeights();
  const validation = await splitReport(run, data.validation, params, 12, data.rawValidation);
  // The held-out test rows are scored with the same final weights they were scored with when the run ended.
  const test = data.test && data.test.size > 0 ? await splitReport(run, data.test, params, 0, data.rawTest) : null;
  const report: EvaluationReport = { ...validation, test };
  post({ type: 'evaluation', requestId, report });
}

const encoder = new TextEncoder();

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function exportNow(requestId: number, format: ExportFormat): Promise<void> {
  const run = current;
  if (!run) throw new Error('Train a model first.');
  const params = await run.handle.getWeights();
  const model = run.model;
  const files: ExportedFile[] = [];
  let check: OnnxCheckData | undefined;
  if (format === 'onnx') {
    files.push({ name: 'model.onnx', mime: 'application/octet-stream', bytes: bufferOf(exportOnnx(run.plan, params, { model })) });
    // A loaded run without its dataset has no rows to check the export on.
    if (run.data) check = onnxCheckData(run.plan, params, run.data);
  } else if (format === 'pytorch') {
    const code = exportPyTorch(run.plan, { optimizer: run.config.optimizer, schedule: run.config.schedule, epochs: run.config.epochs, batchSize: run.config.batchSize, model });
    for (const [name, text] of Object.entries(code)) files.push({ name, mime: 'text/x-python', bytes: bufferOf(encoder.encode(text)) });
  } else if (format === 'checkpoint') {
    // Only a run trained on WebGPU here holds optimizer state; loaded and CPU runs have weights alone.
    const handle = run.handle as RunHandle & { checkpoint?: (metadata?: Record<string, string>) => Promise<Uint8Array> };
    if (typeof handle.checkpoint !== 'function') throw new Error('This run has no training checkpoint (it was loaded, or trained on the CPU).');
    files.push({ name: 'checkpoint.safetensors', mime: 'application/octet-stream', bytes: bufferOf(await handle.checkpoint({ model: 'cyxwiz', ...modelMetadataEntries(model) })) });
  } else {
    files.push({ name: 'weights.safetensors', mime: 'application/octet-stream', bytes: bufferOf(saveWeights(params, { model: 'cyxwiz', ...modelMetadataEntries(model) })) });
  }
  const transfer: Transferable[] = files.map((f) => f.bytes);
  if (check) transfer.push(check.features.buffer, ...Object.values(check.expected).map((v) => v.buffer));
  post({ type: 'exported', requestId, files, ...(check ? { check } : {}) }, transfer);
}

/** A saved run becomes the current one: its weights (checked against the graph), scaling and class names. */
async function loadNow(message: Extract<ToWorker, { type: 'load' }>): Promise<void> {
  current?.handle.dispose();
  current = null;
  const plan = buildModelPlan(message.graph);
  let params: ParameterSet;
  try {
    params = loadWeights(new Uint8Array(message.weights), { plan });
  } catch (error) {
    throw new Error(`The run's weights do not fit this graph: ${errorText(error)}`);
  }
  const config = parseTrainConfig(message.config);
  let data: PreparedData | null = null;
  try {
    data = message.data ? prepareData(message.data, config.validationFraction, config.testFraction, config.seed, message.preprocessing.kind, message.preprocessing) : null;
  } catch {
    // Data that does not fit the run (another dataset chosen) only costs Evaluate; predicting needs none.
    data = null;
  }
  // Same width is not enough: columns or categories that differ would give the features other meanings.
  if (data && message.inputColumns && data.summary.inputColumns && JSON.stringify(data.summary.inputColumns) !== JSON.stringify(message.inputColumns)) data = null;
  const model = { preprocessing: message.preprocessing, classNames: message.classNames, ...(message.inputColumns ? { inputColumns: message.inputColumns } : {}) };
  current = { runId: message.runId, handle: loadedRun(plan, params, message.config), plan, data, config, model };
  post({ type: 'loaded', requestId: message.requestId, summary: data?.summary ?? null });
}

/** Feature rows (categorical columns encoded by the panel with the run's input columns) through its scaling, then the CPU forward pass. */
async function predictNow(requestId: number, rows: number[][]): Promise<void> {
  const run = current;
  if (!run) throw new Error('Train a model or load a saved run first.');
  if (run.plan.outputs[0]?.lossType !== 'SoftmaxCrossEntropy') throw new Error('Predict gives classes and probabilities; this model is not a classifier.');
  const params = await run.handle.getWeights();
  const logitsOf = (scaled: Float32Array, count: number) => {
    const out = forward(run.plan, params, { batch: count, inputs: feedFromBatch(run.plan, { size: count, features: scaled, labels: new Int32Array(count) }).inputs }, { training: false });
    return out.values.get(run.plan.outputs[0]!.source)!;
  };
  post({ type: 'predicted', requestId, predictions: predictRows(rows, run.model.preprocessing, logitsOf, run.model.classNames) });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'probe':
      void probe().then((result) => post({ type: 'probe', probe: result }));
      return;
    case 'start':
      void start(message);
      return;
    case 'pause':
      current?.handle.pause();
      return;
    case 'resume':
      current?.handle.resume();
      return;
    case 'stop':
      current?.handle.stop();
      return;
    case 'evaluate':
      evaluateNow(message.requestId).catch((error: unknown) => post({ type: 'request-failed', requestId: message.requestId, message: errorText(error) }));
      return;
    case 'load':
      loadNow(message).catch((error: unknown) => post({ type: 'request-failed', requestId: message.requestId, message: errorText(error) }));
      return;
    case 'predict':
      predictNow(message.requestId, message.rows).catch((error: unknown) => post({ type: 'request-failed', requestId: message.requestId, message: errorText(error) }));
      return;
    case 'export':
      exportNow(message.requestId, message.format).catch((error: unknown) => post({ type: 'request-failed', requestId: message.requestId, message: errorText(error) }));
      return;
  }
};
