import type { Dataset } from '../../compute/data/dataset';
import { batches } from '../../compute/data/batch';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { SafetensorsError } from '../../compute/export/safetensors/safetensors-error';
import { feedFromBatch } from '../../compute/model/feed';
import { forward } from '../../compute/model/forward';
import { ModelError } from '../../compute/model/model-error';
import type { ModelPlan } from '../../compute/model/plan';
import type { ParameterSet } from '../../compute/model/tensor';
import { scoreOutputs } from '../../compute/train/evaluate';
import { CHECKPOINT_TOLERANCE, type CheckpointReport } from './runner-protocol';

export interface PlatformScores {
  valLoss: number | null;
  valAccuracy: number | null;
  rows: number;
}

export interface Verdict {
  verified: boolean;
  platform: PlatformScores;
  /** Why it did not verify, in words; null when it did. */
  reason: string | null;
}

export interface VerifyInput {
  plan: ModelPlan;
  validation: Dataset;
  bytes: Uint8Array;
  report: CheckpointReport;
  totalSteps: number;
  /** The step of the last verified checkpoint (0 for none): a checkpoint must move the run on. */
  lastStep: number;
}

const NO_SCORES = (rows: number): PlatformScores => ({ valLoss: null, valAccuracy: null, rows });
const EVAL_BATCH = 256;

/**
 * Scores weights on the validation split as the runner does: inference-mode forward on the CPU,
 * then compute/train's scoreOutputs, the one scoring function evaluate() (Dawn) and the torch
 * trainer use too, so a platform figure and an honest runner's figure differ only in float sums.
 */
export function scoreOnCpu(plan: ModelPlan, params: ParameterSet, validation: Dataset): PlatformScores {
  const output = plan.outputs[0];
  if (!output) throw new ModelError('INVALID_GRAPH', 'The model has no loss to score');
  const width = output.shape.reduce((a, b) => a * b, 1);
  const outputs = new Float32Array(validation.size * width);
  let offset = 0;
  for (const batch of batches(validation, EVAL_BATCH)) {
    const pass = forward(plan, params, { ...feedFromBatch(plan, batch), labels: undefined }, { training: false });
    const values = pass.values.get(output.source)!;
    outputs.set(values, offset);
    offset += values.length;
  }
  const scored = scoreOutputs(outputs, validation, { type: output.lossType, width });
  return { valLoss: scored.loss, valAccuracy: scored.accuracy ?? null, rows: validation.size };
}

/** Null when the runner's figure agrees with the platform's within CHECKPOINT_TOLERANCE, else why not. */
export function scoreMismatch(report: CheckpointReport, platform: PlatformScores): string | null {
  const { lossAbsolute, lossRelative, accuracy } = CHECKPOINT_TOLERANCE;
  // NaN compares false with everything: weights that blew up must not pass by that.
  if (platform.valLoss !== null && !Number.isFinite(platform.valLoss)) return `The weights give a non-finite validation loss (${platform.valLoss})`;
  if (platform.valLoss !== null) {
    if (report.valLoss === null) return `The report gives no validation loss; the platform measured ${platform.valLoss}`;
    if (Math.abs(report.valLoss - platform.valLoss) > lossAbsolute + lossRelative * Math.abs(platform.valLoss)) {
      return `The reported validation loss ${report.valLoss} differs from the platform's ${platform.valLoss} on the same ${platform.rows} rows`;
    }
  }
  if (platform.valAccuracy !== null) {
    if (report.valAccuracy === null) return `The report gives no validation accuracy; the platform measured ${platform.valAccuracy}`;
    if (Math.abs(report.valAccuracy - platform.valAccuracy) > Math.max(accuracy, 1 / Math.max(1, platform.rows))) {
      return `The reported validation accuracy ${report.valAccuracy} differs from the platform's ${platform.valAccuracy} on the same ${platform.rows} rows`;
    }
  }
  return null;
}

/**
 * Checks an uploaded checkpoint: it must move the run on (step after the last verified one, at most
 * totalSteps), be a checkpoint of this model (names, shapes, the optimizer step the report names),
 * and its weights must score on the platform's own validation split what the runner says they score.
 * Every refusal is a verdict with a reason, never a throw: a bad upload is the provider's fault.
 */
export function verifyCheckpoint(input: VerifyInput): Verdict {
  const { plan, validation, bytes, report, totalSteps, lastStep } = input;
  const refuse = (reason: string, platform = NO_SCORES(validation.size)): Verdict => ({ verified: false, platform, reason });
  if (report.step <= lastStep) return refuse(`Step ${report.step} does not come after the last verified checkpoint's step ${lastStep}`);
  if (report.step > totalSteps) return refuse(`Step ${report.step} is past the job's ${totalSteps} steps`);
  let params: ParameterSet;
  try {
    const checkpoint = loadCheckpoint(bytes, { plan });
    if (checkpoint.optimizer.step !== report.step) return refuse(`The checkpoint's optimizer is at step ${checkpoint.optimizer.step}, not the reported ${report.step}`);
    params = checkpoint.params;
  } catch (error) {
    if (error instanceof SafetensorsError || error instanceof ModelError) return refuse(`The file is not a checkpoint of this model: ${error.message}`);
    throw error;
  }
  let platform: PlatformScores;
  try {
    platform = scoreOnCpu(plan, params, validation);
  } catch (error) {
    if (error instanceof ModelError) return refuse(`The weights do not fit this model: ${error.message}`);
    throw error;
  }
  const mismatch = scoreMismatch(report, platform);
  return mismatch ? refuse(mismatch, platform) : { verified: true, platform, reason: null };
}
