import type { TrainConfigInput, TrainingEvent, TrainingState } from '@/compute/train';
import type { Graph } from '@/compute/graph';
import { DEFAULT_PREPROCESSING, type Preprocessing, type PreprocessingKind } from '@/compute/data/preprocessing';
import type { InputColumn } from '@/compute/data';
import type { RowPrediction } from './predict-rows';
import type { Backend, DataSpec, DataSummary, EvaluationReport, ExportFormat, ExportedFile, FromWorker, GpuProbe, OnnxCheckData, RunOutcome, ToWorker } from './protocol';

export interface EpochPoint {
  epoch: number;
  step: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  timeMs: number;
}

export interface BatchPoint {
  step: number;
  loss: number | null;
  accuracy: number | null;
}

export type RunStatus = TrainingState | 'preparing';

export interface LocalRun {
  readonly runId: string;
  readonly backend: Backend;
  readonly config: TrainConfigInput;
  readonly datasetLabel: string;
  readonly status: RunStatus;
  readonly summary: DataSummary | null;
  readonly totalSteps: number;
  readonly step: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly batchesPerEpoch: number;
  readonly batchInEpoch: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly valAccuracy: number | null;
  /** Training throughput over recent steps; 0 while paused. */
  readonly samplesPerSecond: number | null;
  /** Running time left at the recent step rate (compile and first steps excluded), from the trainer. */
  readonly etaMs: number | null;
  /** Wall-clock ms spent running (paused time excluded), for the ETA. */
  readonly activeMs: number;
  readonly batchPoints: readonly BatchPoint[];
  readonly epochPoints: readonly EpochPoint[];
  readonly outcome: RunOutcome | null;
  readonly error: string | null;
  /** Set when the run is a saved one loaded back (not trained in this tab): it is not saved again. */
  readonly loadedFrom: LoadedFrom | null;
}

/** The saved run a loaded LocalRun came from, and what its model needs to run on raw rows. */
export interface LoadedFrom {
  readonly id: string;
  readonly name: string;
  readonly preprocessing: Preprocessing;
  readonly classNames: readonly string[];
  /** How raw rows become its features; null when they are the raw values (older runs). */
  readonly inputColumns: readonly InputColumn[] | null;
}

/** A saved run as the panel loads it back: its weights, the graph it trained, its config and history. */
export interface SavedRunToLoad extends LoadedFrom {
  readonly graph: Graph;
  readonly weights: ArrayBuffer;
  readonly config: TrainConfigInput;
  readonly datasetLabel: string;
  /** Its dataset, when at hand, to evaluate it on the same split; null to predict and export only. */
  readonly data: DataSpec | null;
  readonly epochPoints: readonly EpochPoint[];
  readonly outcome: RunOutcome;
}

export interface TrainerSnapshot {
  readonly probe: GpuProbe | null;
  readonly run: LocalRun | null;
}

/** Batch samples kept per run: enough for a smooth chart and a compact saved history. */
export const MAX_BATCH_POINTS = 400;

const finiteOrNull = (x: number | undefined | null): number | null => (x === undefined || x === null || !Number.isFinite(x) ? null : x);

/** Keeps every other point once full, so long runs stay evenly sampled in bounded memory. */
function appendSampled(points: readonly BatchPoint[], point: BatchPoint): BatchPoint[] {
  const next = [...points, point];
  return next.length <= MAX_BATCH_POINTS ? next : next.filter((_, i) => i % 2 === 1 || i === next.length - 1);
}

export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The main-thread side of the training worker: sends commands, folds progress into an immutable
 * snapshot and notifies React (through useSyncExternalStore) at most ~10 times a second, so a
 * fast run cannot flood rendering.
 */
export class TrainerClient {
  private readonly worker: Worker;
  private snapshot: TrainerSnapshot = { probe: null, run: null };
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotify = 0;
  private runningSince: number | null = null;
  private nextRequest = 1;
  private readonly pending = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: Error) => void }>();

  constructor(worker: Worker) {
    this.worker = worker;
    worker.onmessage = (event: MessageEvent<FromWorker>) => this.receive(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.failRun(event.message || 'The training worker crashed.');
    };
    this.send({ type: 'probe' });
  }

  static create(): TrainerClient {
    return new TrainerClient(new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'cyxwiz-training' }));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): TrainerSnapshot => this.snapshot;

  /** `continueCurrent`: start from the current run's weights and scaling (continue training a loaded run). */
  start(graph: Graph, data: DataSpec, datasetLabel: string, config: TrainConfigInput, backend: Backend, preprocessing: PreprocessingKind = DEFAULT_PREPROCESSING, continueCurrent = false): string {
    const runId = newRunId();
    const epochs = typeof config.epochs === 'number' ? config.epochs : 10;
    this.runningSince = null;
    this.update(
      {
        run: {
          runId, backend, config, datasetLabel, status: 'preparing', summary: null, totalSteps: 0, step: 0, epoch: 0, epochs,
          batchesPerEpoch: 0, batchInEpoch: 0, loss: null, accuracy: null, valAccuracy: null, samplesPerSecond: null, etaMs: null, activeMs: 0,
          batchPoints: [], epochPoints: [], outcome: null, error: null, loadedFrom: null,
        },
      },
      true,
    );
    // The CSV bytes are copied, not transferred: the caller may start another run from the same file.
    this.send({ type: 'start', runId, graph, data: data.kind === 'csv' ? { ...data, bytes: data.bytes.slice(0) } : data, config, backend, preprocessing, continueCurrent });
    return runId;
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  stop(): void {
    this.send({ type: 'stop' });
  }

  async evaluate(): Promise<EvaluationReport> {
    const reply = await this.request({ type: 'evaluate', requestId: 0 });
    if (reply.type !== 'evaluation') throw new Error('Unexpected reply from the training worker.');
    return reply.report;
  }

  async export(format: ExportFormat): Promise<{ files: ExportedFile[]; check: OnnxCheckData | undefined }> {
    const reply = await this.request({ type: 'export', requestId: 0, format });
    if (reply.type !== 'exported') throw new Error('Unexpected reply from the training worker.');
    return { files: reply.files, check: reply.check };
  }

  /** Makes a saved run the current one (once the worker has its weights), ready to evaluate, export or predict. */
  async load(saved: SavedRunToLoad): Promise<LocalRun> {
    const runId = `saved-${saved.id}-${newRunId()}`;
    const reply = await this.request({
      type: 'load', requestId: 0, runId, graph: saved.graph, weights: saved.weights.slice(0), config: saved.config,
      preprocessing: saved.preprocessing, classNames: saved.classNames, inputColumns: saved.inputColumns, data: saved.data && saved.data.kind === 'csv' ? { ...saved.data, bytes: saved.data.bytes.slice(0) } : saved.data,
    });
    if (reply.type !== 'loaded') throw new Error('Unexpected reply from the training worker.');
    const last = saved.epochPoints.at(-1);
    const run: LocalRun = {
      runId, backend: 'cpu', config: saved.config, datasetLabel: saved.datasetLabel, status: saved.outcome.status, summary: reply.summary,
      totalSteps: saved.outcome.steps, step: saved.outcome.steps, epoch: last?.epoch ?? 0, epochs: saved.epochPoints.length, batchesPerEpoch: 0, batchInEpoch: 0,
      loss: last?.loss ?? null, accuracy: last?.accuracy ?? null, valAccuracy: saved.outcome.validationAccuracy, samplesPerSecond: null, etaMs: null, activeMs: saved.outcome.wallTimeMs,
      batchPoints: [], epochPoints: saved.epochPoints, outcome: saved.outcome, error: null,
      loadedFrom: { id: saved.id, name: saved.name, preprocessing: saved.preprocessing, classNames: saved.classNames, inputColumns: saved.inputColumns },
    };
    this.runningSince = null;
    this.update({ run }, true);
    return run;
  }

  /** Class and probabilities for feature rows (raw values, categorical columns encoded: predict-rows.ts), through the current run's scaling and weights. */
  async predict(rows: number[][]): Promise<RowPrediction[]> {
    const reply = await this.request({ type: 'predict', requestId: 0, rows });
    if (reply.type !== 'predicted') throw new Error('Unexpected reply from the training worker.');
    return reply.predictions;
  }

  destroy(): void {
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error('The training panel was closed.'));
    this.pending.clear();
    this.listeners.clear();
  }

  private request(message: Extract<ToWorker, { type: 'evaluate' | 'export' | 'load' | 'predict' }>): Promise<FromWorker> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.send({ ...message, requestId });
    });
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if ('requestId' in message) {
      const waiter = this.pending.get(message.requestId);
      this.pending.delete(message.requestId);
      if (message.type === 'request-failed') waiter?.reject(new Error(message.message));
      else waiter?.resolve(message);
      return;
    }
    if (message.type === 'probe') {
      this.update({ probe: message.probe }, true);
      return;
    }
    const run = this.snapshot.run;
    if (!run || run.runId !== message.runId) return;
    switch (message.type) {
      case 'data':
        this.update({ run: { ...run, summary: message.summary, totalSteps: message.totalSteps } }, true);
        return;
      case 'progress':
        this.onProgress(run, message.event);
        return;
      case 'done':
        this.update({ run: { ...run, ...this.activeTime(run, 'done'), status: message.outcome.status, outcome: message.outcome, valAccuracy: message.outcome.validationAccuracy ?? run.valAccuracy } }, true);
        return;
      case 'failed':
        this.failRun(message.message);
        return;
    }
  }

  private activeTime(run: LocalRun, next: RunStatus | 'done'): { activeMs: number } {
    const now = performance.now();
    let activeMs = run.activeMs;
    if (this.runningSince !== null) activeMs += now - this.runningSince;
    this.runningSince = next === 'running' ? now : null;
    return { activeMs };
  }

  private onProgress(run: LocalRun, event: TrainingEvent): void {
    if (event.type === 'state') {
      // Nothing trains while paused, whatever the last report said.
      const idle = event.state === 'paused' ? { samplesPerSecond: 0 } : {};
      this.update({ run: { ...run, ...this.activeTime(run, event.state), status: event.state, ...idle } }, true);
      return;
    }
    if (event.type === 'batch') {
      const point = { step: event.step, loss: finiteOrNull(event.loss), accuracy: finiteOrNull(event.accuracy) };
      this.update({
        run: {
          ...run, step: event.step, epoch: event.epoch, batchesPerEpoch: event.batchesPerEpoch, batchInEpoch: event.batch + 1,
          loss: point.loss, accuracy: point.accuracy ?? run.accuracy, samplesPerSecond: run.status === 'paused' ? 0 : event.samplesPerSecond,
          etaMs: finiteOrNull(event.etaMs),
          batchPoints: appendSampled(run.batchPoints, point),
        },
      });
      return;
    }
    const point: EpochPoint = {
      epoch: event.epoch, step: event.step, loss: finiteOrNull(event.loss), accuracy: finiteOrNull(event.accuracy),
      valLoss: finiteOrNull(event.validationLoss), valAccuracy: finiteOrNull(event.validationAccuracy), timeMs: Math.round(event.timeMs),
    };
    this.update({ run: { ...run, epoch: event.epoch, epochs: event.epochs, step: event.step, valAccuracy: point.valAccuracy ?? run.valAccuracy, epochPoints: [...run.epochPoints, point] } }, true);
  }

  private failRun(error: string): void {
    const run = this.snapshot.run;
    if (!run) return;
    this.update({ run: { ...run, ...this.activeTime(run, 'done'), status: 'failed', error } }, true);
  }

  private update(patch: Partial<TrainerSnapshot>, urgent = false): void {
    this.snapshot = { ...this.snapshot, ...patch };
    const now = performance.now();
    if (urgent || now - this.lastNotify >= 100) {
      this.flush();
    } else {
      this.notifyTimer ??= setTimeout(() => this.flush(), 100 - (now - this.lastNotify));
    }
  }

  private flush(): void {
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.notifyTimer = null;
    this.lastNotify = performance.now();
    for (const l of [...this.listeners]) l();
  }

  /** Milliseconds of running time so far, including the current stretch. */
  elapsedMs(run: LocalRun): number {
    return run.activeMs + (this.runningSince !== null && run.runId === this.snapshot.run?.runId ? performance.now() - this.runningSince : 0);
  }
}
