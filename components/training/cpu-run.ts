import { getBatch, shuffleDataset, type Dataset } from '@/compute/data';
import type { Graph } from '@/compute/graph';
import { CpuTrainer, feedFromBatch, type ModelPlan, type ParameterSet } from '@/compute/model';
import { ActiveClock, EarlyStopping, parseTrainConfig, scoreClassification, StepRate, type Evaluation, type TrainConfigInput, type TrainingEvent, type TrainingResult, type TrainingState } from '@/compute/train';

/** The subset of compute/train's TrainingRun the worker uses, so the CPU path is a drop-in. */
export interface RunHandle {
  readonly done: Promise<TrainingResult>;
  pause(): void;
  resume(): void;
  stop(): void;
  evaluate(dataset: Dataset): Promise<Evaluation>;
  getWeights(): Promise<ParameterSet>;
  dispose(): void;
}

/** Inference logits for a whole dataset on the CPU executor. */
export function cpuLogits(trainer: CpuTrainer, dataset: Dataset, chunk = 256): Float32Array {
  const output = trainer.plan.outputs[0]!;
  const width = output.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(dataset.size * width);
  for (let start = 0; start < dataset.size; start += chunk) {
    const batch = getBatch(dataset, start / chunk, chunk);
    const values = trainer.predict(feedFromBatch(trainer.plan, batch)).get(output.source)!;
    out.set(values, start * width);
  }
  return out;
}

function cpuEvaluate(trainer: CpuTrainer, dataset: Dataset): Evaluation {
  const output = trainer.plan.outputs[0]!;
  const logits = cpuLogits(trainer, dataset);
  const width = output.shape.reduce((a, b) => a * b, 1);
  if (dataset.task === 'classification' && output.lossType === 'SoftmaxCrossEntropy') {
    return scoreClassification(logits, dataset.labels, width, Math.max(dataset.numClasses, width));
  }
  const e = trainer.evaluate(dataset);
  return { samples: dataset.size, loss: e.loss, accuracy: undefined, confusion: undefined, perClassAccuracy: undefined };
}

/**
 * A saved run's weights behind the same handle, for evaluating and exporting a run loaded back into
 * the panel: nothing trains, so the controls do nothing and `done` never settles.
 */
export function loadedRun(plan: ModelPlan, params: ParameterSet, configInput: TrainConfigInput): RunHandle {
  const config = parseTrainConfig(configInput);
  const trainer = new CpuTrainer(plan, { seed: config.seed, optimizer: config.optimizer, schedule: config.schedule, params });
  return {
    done: new Promise<TrainingResult>(() => undefined),
    pause: () => undefined,
    resume: () => undefined,
    stop: () => undefined,
    evaluate: async (dataset) => cpuEvaluate(trainer, dataset),
    getWeights: async () => trainer.params,
    dispose: () => undefined,
  };
}

/**
 * compute/model's CpuTrainer behind the same controls and progress events as the WebGPU run: the
 * fallback when the browser has no WebGPU adapter. Slow (a few hundred thousand multiply-adds per
 * millisecond), so the panel offers it only for small models.
 */
export function trainOnCpu(graph: Graph | ModelPlan, data: { train: Dataset; validation: Dataset; test?: Dataset | undefined }, configInput: TrainConfigInput, onProgress: (e: TrainingEvent) => void, initialWeights?: ParameterSet): RunHandle {
  const config = parseTrainConfig(configInput);
  const trainer = new CpuTrainer(graph, { seed: config.seed, optimizer: config.optimizer, schedule: config.schedule, ...(initialWeights ? { params: initialWeights } : {}) });
  const batchSize = Math.min(config.batchSize, data.train.size);
  const batchesPerEpoch = Math.floor(data.train.size / batchSize);
  let state: TrainingState = 'starting';
  let stopRequested = false;
  let wake: (() => void) | undefined;
  const clock = new ActiveClock();
  const setState = (next: TrainingState) => {
    if (state === next) return;
    state = next;
    if (next === 'paused') clock.pause();
    else clock.resume();
    onProgress({ type: 'state', state });
  };

  const run = async (): Promise<TrainingResult> => {
    const started = performance.now();
    const epochs: Extract<TrainingEvent, { type: 'epoch' }>[] = [];
    const totalSteps = config.epochs * batchesPerEpoch;
    // Same rules as compute/train: rates over recent reports in active time, early stopping on validation loss.
    const rate = new StepRate();
    const stopper = config.earlyStopping.enabled ? new EarlyStopping(config.earlyStopping) : undefined;
    let best: Map<string, Float32Array | Float64Array> | undefined;
    let stoppedEarly = false;
    setState('running');
    let lastYield = performance.now();
    for (let epoch = 0; epoch < config.epochs && !stopRequested; epoch++) {
      const epochStart = performance.now();
      const order = config.shuffle ? shuffleDataset(data.train, (config.seed + epoch * 7919) >>> 0) : data.train;
      let windowLoss = 0;
      let windowSteps = 0;
      let windowStart = clock.read();
      let epochLoss = 0;
      let epochSteps = 0;
      for (let b = 0; b < batchesPerEpoch && !stopRequested; b++) {
        // Yield so pause/stop messages are handled; same cadence as compute/train.
        if (performance.now() - lastYield >= 16) {
          await new Promise((r) => setTimeout(r, 0));
          lastYield = performance.now();
        }
        while (state === 'paused' && !stopRequested) await new Promise<void>((r) => (wake = r));
        if (stopRequested) break;
        const step = trainer.trainStep(getBatch(order, b, batchSize));
        windowLoss += step.loss;
        windowSteps++;
        epochLoss += step.loss;
        epochSteps++;
        if (windowSteps >= config.metricsEvery || b === batchesPerEpoch - 1) {
          const t = clock.read();
          const elapsed = Math.max(1e-3, t - windowStart);
          rate.record(step.step, t);
          const stepsPerSecond = rate.stepsPerSecond();
          onProgress({
            type: 'batch', epoch, batch: b, batchesPerEpoch, step: step.step, loss: windowLoss / windowSteps, accuracy: undefined,
            learningRate: step.lr, batchTimeMs: stepsPerSecond ? 1000 / stepsPerSecond : elapsed / windowSteps,
            samplesPerSecond: stepsPerSecond ? stepsPerSecond * batchSize : (windowSteps * batchSize * 1000) / elapsed, etaMs: rate.etaMs(totalSteps),
          });
          windowLoss = 0;
          windowSteps = 0;
          windowStart = clock.read();
        }
      }
      if (epochSteps === 0) break;
      const val = cpuEvaluate(trainer, data.validation);
      const timeMs = performance.now() - epochStart;
      const event = {
        type: 'epoch' as const, epoch, epochs: config.epochs, step: trainer.optimizer.step, loss: epochLoss / epochSteps, accuracy: undefined,
        validationLoss: val.loss, validationAccuracy: val.accuracy, learningRate: 0, timeMs, samplesPerSecond: (epochSteps * batchSize * 1000) / timeMs,
      };
      epochs.push(event);
      onProgress(event);
      if (stopper) {
        const verdict = stopper.observe(epoch, val.loss);
        if (verdict.improved) best = new Map([...trainer.params].map(([name, t]) => [name, t.data.slice()]));
        if (verdict.stop && epoch < config.epochs - 1) {
          stoppedEarly = true;
          break;
        }
      }
    }
    const restored = best !== undefined && stopper?.bestEpoch !== epochs.at(-1)?.epoch;
    // The CPU path has no checkpoints to hand out, so putting back the best weights is enough.
    if (best && restored) for (const [name, data] of best) trainer.params.get(name)!.data.set(data);
    const validation = cpuEvaluate(trainer, data.validation);
    const test = data.test ? cpuEvaluate(trainer, data.test) : undefined;
    const status = stopRequested ? 'stopped' : 'completed';
    setState(status);
    return {
      status, epochs, steps: trainer.optimizer.step, wallTimeMs: performance.now() - started, validation, test,
      earlyStopping: stopper ? { bestEpoch: stopper.bestEpoch, bestValidationLoss: stopper.bestEpoch === undefined ? undefined : stopper.bestLoss, stoppedEarly, restored } : undefined,
    };
  };
  const done = run().catch((error: unknown) => {
    setState('failed');
    throw error;
  });
  done.catch(() => undefined);
  return {
    done,
    pause: () => state === 'running' && setState('paused'),
    resume: () => {
      if (state !== 'paused') return;
      setState('running');
      wake?.();
    },
    stop: () => {
      stopRequested = true;
      if (state === 'running' || state === 'paused') setState('stopping');
      wake?.();
    },
    evaluate: async (dataset) => cpuEvaluate(trainer, dataset),
    getWeights: async () => trainer.params,
    dispose: () => {
      stopRequested = true;
      wake?.();
    },
  };
}
