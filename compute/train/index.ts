/** The training API on the WebGPU engine: train() with a controller, evaluation, weights and checkpoints. */
export { epochShuffleSeed, splitData, train, type EarlyStoppingOutcome, type TrainOptions, type TrainingData, type TrainingResult, type TrainingRun } from './train';
export { holdOut, type HoldOut, type HoldOutOptions } from './holdout';
export { EarlyStopping, type EarlyStoppingConfig, type EarlyStoppingVerdict } from './early-stopping';
export { ActiveClock, etaMs, recentStepRate, StepRate, STEP_RATE_DEFAULTS, type StepRateOptions, type StepTime } from './step-rate';
export { TrainConfigSchema, parseTrainConfig, type TrainConfig, type TrainConfigInput } from './train-config';
export { TrainError, type TrainErrorCode } from './train-error';
export type { BatchProgress, EpochProgress, StateProgress, TrainingEvent, TrainingState } from './progress';
export { evaluate, scoreClassification, scoreOutputs, type Evaluation } from './evaluate';
export { engineCheckpoint, engineWeights, restoreCheckpoint, restoreWeights } from './checkpoints';
