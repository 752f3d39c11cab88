import { parseTrainConfig, type TrainConfig, type TrainConfigInput } from '../../compute/train/train-config';

/**
 * A job's training config as a segment runs it: every epoch ends with a checkpoint scored on the
 * validation split, and the run goes to the job's totalSteps (epochs × full batches), so early
 * stopping, which would end it sooner and restore an older epoch's weights, is off.
 */
export function jobTrainConfig(input: TrainConfigInput): TrainConfig {
  return { ...parseTrainConfig(input), evaluateEveryEpoch: true, earlyStopping: { enabled: false, patience: 1, minDelta: 0 } };
}

/** The checkpoint metadata a job's checkpoints carry: the spec's, plus the seed that with the step fixes data order and dropout masks. */
export function jobCheckpointMetadata(specMetadata: Record<string, string>, config: TrainConfig): Record<string, string> {
  return { ...specMetadata, seed: String(config.seed) };
}
