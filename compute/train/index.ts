/** The training API on the WebGPU engine: train() with a controller, evaluation, weights and checkpoints. */
export { train, type TrainOptions, type TrainingData, type TrainingResult, type TrainingRun } from './train';
export { TrainConfigSchema, parseTrainConfig, type TrainConfig, type TrainConfigInput } from './train-config';
export { TrainError, type TrainErrorCode } from './train-error';
export type { BatchProgress, EpochProgress, StateProgress, TrainingEvent, TrainingState } from './progress';
export { evaluate, scoreClassification, type Evaluation } from './evaluate';
export { engineCheckpoint, engineWeights, restoreCheckpoint, restoreWeights } from './checkpoints';
