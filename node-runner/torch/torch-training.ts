import { getBatch } from '../../compute/data/batch';
import { shuffleDataset } from '../../compute/data/shuffle';
import type { Graph } from '../../compute/graph/types';
import { feedFromBatch } from '../../compute/model/feed';
import { initParameters } from '../../compute/model/init';
import { buildModelPlan, type ModelPlan } from '../../compute/model/plan';
import type { ParameterSet } from '../../compute/model/tensor';
import { parseTrainConfig, type TrainConfigInput } from '../../compute/train/train-config';
import { TrainError } from '../../compute/train/train-error';
import { epochShuffleSeed, splitData, type TrainingData } from '../../compute/train/train';
import type { TorchExecutor } from './torch-executor';

/**
 * compute/train's train() loop, with the torch executor doing the steps: the same split (holdOut by
 * seed), the same batch size (a final partial batch dropped), the same per-epoch order
 * (shuffleDataset with the same seed mix), the same initial weights (initParameters by seed), and a
 * checkpoint's step placing the run at the same epoch and batch. Dropout masks follow (seed, step)
 * as on Dawn, so a run may start on either backend and resume on the other from any checkpoint.
 * Not here: early stopping and pause/resume, which train() has (afterEpoch holds the run between epochs).
 */
export interface TorchEpoch {
  readonly epoch: number;
  /** Steps taken when the epoch ended. */
  readonly step: number;
  /** Mean step loss over the epoch (the steps run in this session). */
  readonly loss: number;
  /** Training accuracy over the epoch's steps (class-index losses' argmax hits); NaN when nothing was counted. */
  readonly accuracy: number;
  readonly timeMs: number;
  readonly samplesPerSecond: number;
}

export interface TorchTrainingOptions {
  readonly executor: TorchExecutor;
  /** Resume from a checkpoint (ours, from Dawn or torch): weights, optimizer state and step. */
  readonly checkpoint?: Uint8Array;
  readonly initialWeights?: ParameterSet;
  /** Stop after this many steps in total (e.g. to hand the run over to another machine). */
  readonly stopAtStep?: number;
  readonly onEpoch?: (epoch: TorchEpoch) => void;
  /** Awaited after each epoch (e.g. to checkpoint and upload it) before the next one starts; false stops the run there. */
  readonly afterEpoch?: (epoch: TorchEpoch) => Promise<boolean>;
  /** After every step: where the run is and that step's loss. */
  readonly onStep?: (step: { readonly epoch: number; readonly step: number; readonly loss: number; readonly correct: number; readonly counted: number }) => void;
  /** Extra __metadata__ for the checkpoints the executor writes. */
  readonly metadata?: Record<string, string>;
  readonly signal?: AbortSignal;
}

export interface TorchTrainingResult {
  readonly status: 'completed' | 'stopped';
  readonly steps: number;
  readonly epochs: readonly TorchEpoch[];
}

export async function trainOnTorch(graph: Graph | ModelPlan, data: TrainingData, configInput: TrainConfigInput, options: TorchTrainingOptions): Promise<TorchTrainingResult> {
  const config = parseTrainConfig(configInput);
  const plan = 'byId' in graph ? graph : buildModelPlan(graph);
  const trainSet = splitData(data, config).train;
  if (trainSet.size === 0) throw new TrainError('EMPTY_DATASET', 'The training set has no examples');
  const batchSize = Math.min(config.batchSize, trainSet.size);
  const { executor } = options;
  let step = await executor.load({
    plan,
    optimizer: config.optimizer,
    schedule: config.schedule,
    seed: config.seed,
    ...(options.metadata ? { metadata: options.metadata } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : { params: options.initialWeights ?? initParameters(plan, { seed: config.seed }) }),
  });
  const batchesPerEpoch = Math.floor(trainSet.size / batchSize);
  const startEpoch = Math.floor(step / batchesPerEpoch);
  const lastStep = Math.min(options.stopAtStep ?? Infinity, config.epochs * batchesPerEpoch);
  const epochs: TorchEpoch[] = [];
  let halted = false;
  const stopped = () => halted || options.signal?.aborted === true || step >= lastStep;
  for (let epoch = startEpoch; epoch < config.epochs && !stopped(); epoch++) {
    const started = performance.now();
    const order = config.shuffle ? shuffleDataset(trainSet, epochShuffleSeed(config.seed, epoch)) : trainSet;
    let lossSum = 0;
    let steps = 0;
    let correct = 0;
    let counted = 0;
    for (let b = epoch === startEpoch ? step - startEpoch * batchesPerEpoch : 0; b < batchesPerEpoch && !stopped(); b++) {
      const result = await executor.step(feedFromBatch(plan, getBatch(order, b, batchSize)));
      step = result.step;
      lossSum += result.loss;
      steps++;
      correct += result.accuracy?.correct ?? 0;
      counted += result.accuracy?.counted ?? 0;
      options.onStep?.({ epoch, step, loss: result.loss, correct: result.accuracy?.correct ?? 0, counted: result.accuracy?.counted ?? 0 });
    }
    const timeMs = performance.now() - started;
    const event = { epoch, step, loss: steps > 0 ? lossSum / steps : Number.NaN, accuracy: counted > 0 ? correct / counted : Number.NaN, timeMs, samplesPerSecond: (steps * batchSize * 1000) / Math.max(1e-3, timeMs) };
    epochs.push(event);
    options.onEpoch?.(event);
    const finished = step === (epoch + 1) * batchesPerEpoch && options.signal?.aborted !== true;
    if (options.afterEpoch && finished && !(await options.afterEpoch(event))) halted = true;
  }
  return { status: step >= config.epochs * batchesPerEpoch ? 'completed' : 'stopped', steps: step, epochs };
}
