import { getBatch } from '../data/batch';
import { featureSize, labelSize, type Dataset } from '../data/dataset';
import { shuffleDataset } from '../data/shuffle';
import { GpuEngine, type MetricsWindow } from '../engine/gpu-engine';
import type { Graph } from '../graph/types';
import type { GpuRuntime } from '../gpu/runtime';
import { buildModelPlan, type ModelPlan } from '../model/plan';
import type { OptimizerState } from '../model/optimizer';
import type { ParameterSet } from '../model/tensor';
import { engineCheckpoint, engineWeights, restoreCheckpoint } from './checkpoints';
import { EarlyStopping } from './early-stopping';
import { evaluate, type Evaluation } from './evaluate';
import { holdOut } from './holdout';
import type { BatchProgress, EpochProgress, TrainingEvent, TrainingState } from './progress';
import { ActiveClock, StepRate } from './step-rate';
import { parseTrainConfig, type TrainConfig, type TrainConfigInput } from './train-config';
import { TrainError } from './train-error';

/** One dataset (split by the config's validation and test fractions), or the sets themselves. */
export type TrainingData = Dataset | { readonly train: Dataset; readonly validation?: Dataset | undefined; readonly test?: Dataset | undefined };

export interface TrainOptions {
  /** Where to train: a GPUDevice (navigator.gpu in a tab or worker, Dawn in Node) or a runtime on one. */
  readonly device: GPUDevice | GpuRuntime;
  readonly onProgress?: (event: TrainingEvent) => void;
  /** Aborting stops the run after the current step (like stop()). */
  readonly signal?: AbortSignal;
  /** Start from these weights instead of the seeded initialisation. */
  readonly initialWeights?: ParameterSet;
  /** Resume from a checkpoint written by checkpoint(): weights, optimizer state and step. */
  readonly checkpoint?: Uint8Array;
  readonly variant?: 'tiled-shared' | 'cpu-friendly';
}

export interface TrainingResult {
  readonly status: 'completed' | 'stopped';
  readonly epochs: readonly EpochProgress[];
  readonly steps: number;
  readonly wallTimeMs: number;
  /** Final evaluation on the validation set, when there is one (of the best epoch's weights under early stopping). */
  readonly validation: Evaluation | undefined;
  /** The held-out test set, scored once after training with the final weights; nothing else sees it. */
  readonly test: Evaluation | undefined;
  /** With early stopping on: the best epoch by validation loss, whose weights and optimizer state the run ends with. */
  readonly earlyStopping: EarlyStoppingOutcome | undefined;
}

export interface EarlyStoppingOutcome {
  /** 0-based epoch index. */
  readonly bestEpoch: number | undefined;
  readonly bestValidationLoss: number | undefined;
  /** Ended because validation loss did not improve for `patience` epochs. */
  readonly stoppedEarly: boolean;
  /** The best epoch was not the last one run, so its weights were put back. */
  readonly restored: boolean;
}

/** Handle of a running training job. */
export interface TrainingRun {
  readonly done: Promise<TrainingResult>;
  readonly state: TrainingState;
  /** Optimizer steps submitted so far. */
  readonly step: number;
  readonly config: TrainConfig;
  /** Finishes the current step, then waits until resume() (or stop()). */
  pause(): void;
  resume(): void;
  /** Ends the run after the current step; done resolves with status 'stopped'. */
  stop(): void;
  /** Inference-mode loss, accuracy and confusion matrix on any dataset (safe while running). */
  evaluate(dataset: Dataset): Promise<Evaluation>;
  /** Current weights, named like compute/model (`dense1.weight`, ...). */
  getWeights(): Promise<ParameterSet>;
  /** Weights as a safetensors file. */
  saveWeights(): Promise<Uint8Array>;
  /**
   * Weights + optimizer state + step as a safetensors checkpoint. Pass the model's metadata
   * (modelMetadataEntries: preprocessing, class names, input columns) so the checkpoint carries
   * what a resumed or exported model needs besides weights.
   */
  checkpoint(metadata?: Record<string, string>): Promise<Uint8Array>;
  /** Frees the GPU buffers; call once you no longer need weights or evaluation. */
  dispose(): void;
}

/**
 * Trains a graph on the GPU. Returns at once with a controller; `done` resolves when the run ends.
 * Each step is one GPU submit with no readback; loss and accuracy accumulate on the GPU and are read
 * every `metricsEvery` steps without blocking the steps after them.
 */
export function train(graph: Graph | ModelPlan, data: TrainingData, configInput: TrainConfigInput, options: TrainOptions): TrainingRun {
  const config = parseTrainConfig(configInput);
  const model = 'byId' in graph ? graph : buildModelPlan(graph);
  const { train: trainSet, validation, test } = splitData(data, config);
  checkData(model, trainSet, 'training');
  if (validation) checkData(model, validation, 'validation');
  if (test) checkData(model, test, 'test');
  if (config.earlyStopping.enabled && !validation) {
    throw new TrainError('INVALID_CONFIG', 'Early stopping watches validation loss: give a validation set or a validationFraction above 0', 'earlyStopping.enabled');
  }
  const batchSize = Math.min(config.batchSize, trainSet.size);

  let state: TrainingState = 'starting';
  let engine: GpuEngine | undefined;
  let resumeGate: (() => void) | undefined;
  let stopRequested = false;
  let disposed = false;
  const clock = new ActiveClock(now);
  const setState = (next: TrainingState) => {
    if (state === next) return;
    state = next;
    if (next === 'paused') clock.pause();
    else clock.resume();
    options.onProgress?.({ type: 'state', state });
  };
  const ready = (): GpuEngine => {
    if (!engine || disposed) throw new TrainError('NOT_READY', disposed ? 'This training run has been disposed' : 'The engine is still being prepared; wait for the first progress event');
    return engine;
  };
  const stop = () => {
    stopRequested = true;
    resumeGate?.();
    if (state === 'running' || state === 'paused') setState('stopping');
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  if (options.signal?.aborted) stopRequested = true;

  const run = async (): Promise<TrainingResult> => {
    const started = now();
    engine = await GpuEngine.create(options.device, model, {
      batchSize,
      optimizer: config.optimizer,
      schedule: config.schedule,
      seed: config.seed,
      ...(options.initialWeights ? { params: options.initialWeights } : {}),
      ...(options.variant ? { variant: options.variant } : {}),
    });
    const e = engine;
    if (options.checkpoint) restoreCheckpoint(e, options.checkpoint);
    const batchesPerEpoch = Math.floor(trainSet.size / batchSize);
    const startEpoch = Math.floor(e.step / batchesPerEpoch);
    const epochs: EpochProgress[] = [];
    const totalSteps = config.epochs * batchesPerEpoch;
    const stopper = config.earlyStopping.enabled ? new EarlyStopping(config.earlyStopping) : undefined;
    let best: { params: ParameterSet; optimizer: OptimizerState } | undefined;
    let stoppedEarly = false;
    if (!stopRequested) setState('running');

    // Rates are measured over recent reports in active time, so pauses, shader compiles and
    // readbacks that resolve in bursts neither inflate nor deflate them.
    const rate = new StepRate();
    let windowStart = clock.read();
    const pending: Promise<void>[] = [];
    const report = (epoch: number, batch: number, epochTotals: Totals) => {
      const step = e.step;
      const lr = e.learningRate;
      const metrics = e.readMetrics();
      // Handled in step order even when readbacks resolve out of order (seen under load on
      // SwiftShader): the rate and ETA need steps in order, and the last ETA shown must be the last
      // step's. The latest report still pending is the one before this (earlier ones are done).
      const handled = Promise.all([metrics, pending.at(-1)]).then(([m]: [MetricsWindow, unknown]) => {
        const t = clock.read();
        const elapsed = Math.max(1e-3, t - windowStart);
        windowStart = t;
        epochTotals.add(m);
        rate.record(step, t);
        if (m.steps === 0) return;
        const stepsPerSecond = rate.stepsPerSecond();
        const event: BatchProgress = {
          type: 'batch', epoch, batch, batchesPerEpoch, step, loss: m.loss, accuracy: m.accuracy, learningRate: lr,
          batchTimeMs: stepsPerSecond ? 1000 / stepsPerSecond : elapsed / m.steps,
          samplesPerSecond: stepsPerSecond ? stepsPerSecond * batchSize : (m.samples * 1000) / elapsed,
          etaMs: rate.etaMs(totalSteps),
        };
        options.onProgress?.(event);
      });
      pending.push(handled);
    };

    for (let epoch = startEpoch; epoch < config.epochs && !stopRequested; epoch++) {
      const epochStart = now();
      const totals = new Totals();
      const order = config.shuffle ? shuffleDataset(trainSet, epochShuffleSeed(config.seed, epoch)) : trainSet;
      const firstBatch = epoch === startEpoch ? e.step - startEpoch * batchesPerEpoch : 0;
      let sinceReport = 0;
      for (let b = firstBatch; b < batchesPerEpoch; b++) {
        await gate();
        if (stopRequested) break;
        e.trainStep(getBatch(order, b, batchSize));
        sinceReport++;
        if (sinceReport >= config.metricsEvery || b === batchesPerEpoch - 1) {
          report(epoch, b, totals);
          sinceReport = 0;
          // Back-pressure: keep at most two metric windows in flight so the host never runs far
          // ahead of the GPU (and pause/stop take effect within a window).
          while (pending.length > 2) await pending.shift();
        }
      }
      if (sinceReport > 0) report(epoch, batchesPerEpoch - 1, totals);
      await Promise.all(pending.splice(0));
      if (stopRequested && totals.steps === 0) break;
      const val = validation && (config.evaluateEveryEpoch || stopper) ? await evaluate(e, validation) : undefined;
      const timeMs = now() - epochStart;
      const event: EpochProgress = {
        type: 'epoch', epoch, epochs: config.epochs, step: e.step, loss: totals.loss, accuracy: totals.accuracy,
        validationLoss: val?.loss, validationAccuracy: val?.accuracy, learningRate: e.learningRate,
        timeMs, samplesPerSecond: (totals.samples * 1000) / Math.max(1e-3, timeMs),
      };
      epochs.push(event);
      options.onProgress?.(event);
      if (stopper && val) {
        const verdict = stopper.observe(epoch, val.loss);
        if (verdict.improved) best = { params: await e.getParameters(), optimizer: await e.getOptimizerState() };
        if (verdict.stop && epoch < config.epochs - 1) {
          stoppedEarly = true;
          break;
        }
      }
      windowStart = clock.read();
    }
    await Promise.all(pending.splice(0));
    const steps = e.step;
    const restored = best !== undefined && stopper?.bestEpoch !== epochs.at(-1)?.epoch;
    if (best && restored) {
      e.setParameters(best.params);
      e.setOptimizerState(best.optimizer);
    }
    const finalValidation = validation ? await evaluate(e, validation) : undefined;
    const finalTest = test ? await evaluate(e, test) : undefined;
    const status = stopRequested ? 'stopped' : 'completed';
    setState(status);
    return {
      status, epochs, steps, wallTimeMs: now() - started, validation: finalValidation, test: finalTest,
      earlyStopping: stopper ? { bestEpoch: stopper.bestEpoch, bestValidationLoss: stopper.bestEpoch === undefined ? undefined : stopper.bestLoss, stoppedEarly, restored } : undefined,
    };
  };

  let lastYield = now();
  const gate = async (): Promise<void> => {
    // Yield to the event loop (a macrotask, so UI events, pause() and stop() get a turn) at least
    // every 16 ms; not every step, since browsers clamp nested timeouts to 4 ms and small models
    // take less than that per step.
    if (now() - lastYield >= 16 || state === 'paused') {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      lastYield = now();
    }
    while (state === 'paused' && !stopRequested) await new Promise<void>((resolve) => (resumeGate = resolve));
    resumeGate = undefined;
  };

  const done = run().catch((error: unknown) => {
    setState('failed');
    throw error;
  });
  // The caller may only look at `done` later; an unobserved failure must not crash the process.
  done.catch(() => undefined);

  return {
    done,
    get state() {
      return state;
    },
    get step() {
      return engine?.step ?? 0;
    },
    config,
    pause() {
      if (state === 'running' || state === 'starting') setState('paused');
    },
    resume() {
      if (state !== 'paused') return;
      setState('running');
      resumeGate?.();
    },
    stop,
    evaluate: (dataset) => {
      checkData(model, dataset, 'evaluation');
      return evaluate(ready(), dataset);
    },
    getWeights: () => ready().getParameters(),
    saveWeights: () => engineWeights(ready()),
    checkpoint: (metadata?: Record<string, string>) => engineCheckpoint(ready(), metadata),
    dispose() {
      if (disposed) return;
      stop();
      disposed = true;
      // Let the loop finish its current step before the buffers go.
      void done.finally(() => engine?.destroy()).catch(() => undefined);
    },
  };
}

/** Running means over metric windows (weighted by steps and samples). */
class Totals {
  steps = 0;
  samples = 0;
  private lossSum = 0;
  private correct = 0;
  private hasAccuracy = false;

  add(m: MetricsWindow): void {
    if (m.steps === 0) return;
    this.lossSum += m.loss * m.steps;
    this.steps += m.steps;
    this.samples += m.samples;
    if (m.accuracy !== undefined) {
      this.correct += m.accuracy * m.samples;
      this.hasAccuracy = true;
    }
  }

  get loss(): number {
    return this.steps > 0 ? this.lossSum / this.steps : Number.NaN;
  }

  get accuracy(): number | undefined {
    return this.hasAccuracy && this.samples > 0 ? this.correct / this.samples : undefined;
  }
}

/** The sets a run trains, validates and tests on: given, or held out from one dataset by the config. Every backend uses this split. */
export function splitData(data: TrainingData, config: TrainConfig): { train: Dataset; validation: Dataset | undefined; test: Dataset | undefined } {
  if ('train' in data) return { train: data.train, validation: data.validation, test: data.test };
  return holdOut(data, { validationFraction: config.validationFraction, testFraction: config.testFraction, seed: config.seed });
}

/** The dataset must fit the graph's Input and Labels layers; caught here with a clear message. */
function checkData(model: ModelPlan, dataset: Dataset, role: string): void {
  if (dataset.size === 0) throw new TrainError('EMPTY_DATASET', `The ${role} set has no examples`);
  if (model.inputs.length !== 1) throw new TrainError('DATA_MISMATCH', `A dataset can feed a model with exactly one Input layer; this one has ${model.inputs.length}`);
  const input = model.inputs[0]!;
  const width = input.outputShape!.reduce((a, b) => a * b, 1);
  if (featureSize(dataset) !== width) {
    throw new TrainError('DATA_MISMATCH', `The ${role} set has examples of shape [${dataset.featureShape.join(', ')}] (${featureSize(dataset)} values) but Input '${input.id}' expects [${input.outputShape!.join(', ')}]`, input.id);
  }
  const labels = model.labels[0];
  if (!labels) return;
  const encoding = labels.params['encoding'];
  if (dataset.task === 'classification') {
    if (encoding !== 'class-index') throw new TrainError('DATA_MISMATCH', `The ${role} set has class labels but Labels '${labels.id}' expects values`, labels.id);
    const loss = model.outputs.find((o) => o.lossType === 'SoftmaxCrossEntropy');
    const classes = loss?.shape[loss.shape.length - 1];
    if (classes !== undefined && dataset.numClasses > classes) {
      throw new TrainError('DATA_MISMATCH', `The ${role} set has ${dataset.numClasses} classes but the model's logits have ${classes}`, loss?.source);
    }
  } else {
    const width = labels.outputShape!.reduce((a, b) => a * b, 1);
    if (encoding !== 'values' || labelSize(dataset) !== width) {
      throw new TrainError('DATA_MISMATCH', `The ${role} set has targets of ${labelSize(dataset)} values but Labels '${labels.id}' expects ${encoding === 'values' ? width : 'class indices'}`, labels.id);
    }
  }
}

/** The per-epoch shuffle seed: the data order of epoch N, the same on every backend (a run resumed elsewhere continues it). */
export function epochShuffleSeed(seed: number, epoch: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
}

function now(): number {
  return performance.now();
}
