export { readSafetensors, writeSafetensors, type SafetensorsDtype, type SafetensorsFile, type SafetensorsTensor } from './format';
export { SafetensorsError, type SafetensorsErrorCode } from './safetensors-error';
export { WEIGHT_LAYOUT_METADATA, loadWeights, parametersToTensors, saveWeights, tensorsToParameters, type LoadWeightsOptions } from './weights';
export { loadCheckpoint, saveCheckpoint, type Checkpoint, type LoadCheckpointOptions } from './checkpoint';
