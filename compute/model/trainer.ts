import type { Values } from '../cpu/types';
import type { Batch } from '../data/batch';
import type { Dataset } from '../data/dataset';
import { batches } from '../data/batch';
import type { Graph } from '../graph/types';
import type { LrSchedule } from '../layers/lr-schedules';
import type { OptimizerConfig } from '../layers/optimizers';
import { backward } from './backward';
import { feedFromBatch, type Feed } from './feed';
import { forward, predictions } from './forward';
import { initParameters } from './init';
import { buildModelPlan, type ModelPlan } from './plan';
import { createOptimizerState, optimizerStep, type OptimizerState } from './optimizer';
import type { ParamDtype, ParameterSet } from './tensor';

export interface CpuTrainerOptions {
  readonly optimizer: OptimizerConfig;
  readonly schedule?: LrSchedule;
  /** Seeds the weights and, step by step, the dropout masks. */
  readonly seed: number;
  readonly dtype?: ParamDtype;
  /** Start from these weights (e.g. a loaded checkpoint) instead of a fresh initialisation. */
  readonly params?: ParameterSet;
  readonly optimizerState?: OptimizerState;
}

export interface StepResult {
  readonly loss: number;
  readonly lr: number;
  readonly step: number;
}

export interface Evaluation {
  readonly loss: number;
  /** Fraction of examples whose arg-max logit is the label; undefined for regression. */
  readonly accuracy: number | undefined;
}

/**
 * The CPU training engine: the oracle the WebGPU engine is tested against and the last-resort
 * backend when no GPU is available. Holds the plan, the weights and the optimizer state.
 */
export class CpuTrainer {
  readonly plan: ModelPlan;
  readonly params: ParameterSet;
  readonly optimizer: OptimizerState;
  private readonly seed: number;

  constructor(graph: Graph | ModelPlan, options: CpuTrainerOptions) {
    this.plan = 'byId' in graph ? graph : buildModelPlan(graph);
    this.seed = options.seed;
    this.params = options.params ?? initParameters(this.plan, { seed: options.seed, ...(options.dtype ? { dtype: options.dtype } : {}) });
    this.optimizer = options.optimizerState ?? createOptimizerState(this.plan, this.params, options.optimizer, options.schedule);
  }

  /** Forward in training mode, backward, one optimizer update. */
  trainStep(batch: Feed | Batch): StepResult {
    const feed = toFeed(this.plan, batch);
    // Dropout masks differ per step but are reproducible from (seed, step).
    const pass = forward(this.plan, this.params, feed, { training: true, seed: (this.seed * 7919 + this.optimizer.step) >>> 0 });
    const grads = backward(pass, this.params);
    const lr = optimizerStep(this.optimizer, this.params, grads.params);
    return { loss: pass.loss!, lr, step: this.optimizer.step };
  }

  /** Inference-mode outputs (the tensors the losses score), keyed by producing node id. */
  predict(batch: Feed | Batch): Map<string, Values> {
    const feed = toFeed(this.plan, batch);
    return predictions(forward(this.plan, this.params, { batch: feed.batch, inputs: feed.inputs }, { training: false }));
  }

  /** Mean loss and accuracy over a dataset in inference mode. */
  evaluate(dataset: Dataset, batchSize = 256): Evaluation {
    let lossSum = 0;
    let correct = 0;
    const output = this.plan.outputs[0];
    for (const batch of batches(dataset, batchSize)) {
      const pass = forward(this.plan, this.params, feedFromBatch(this.plan, batch), { training: false });
      lossSum += (pass.loss ?? 0) * batch.size;
      if (dataset.task === 'classification' && output?.lossType === 'SoftmaxCrossEntropy') {
        correct += countCorrect(pass.values.get(output.source)!, batch.labels, output.shape[0]!);
      }
    }
    const classification = dataset.task === 'classification' && output?.lossType === 'SoftmaxCrossEntropy';
    return { loss: lossSum / dataset.size, accuracy: classification ? correct / dataset.size : undefined };
  }
}

function toFeed(plan: ModelPlan, batch: Feed | Batch): Feed {
  return 'inputs' in batch ? batch : feedFromBatch(plan, batch);
}

function countCorrect(logits: Values, labels: Values, classes: number): number {
  let correct = 0;
  for (let b = 0; b < labels.length; b++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[b * classes + c]! > logits[b * classes + best]!) best = c;
    if (best === labels[b]) correct++;
  }
  return correct;
}
