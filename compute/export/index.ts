/** Getting trained models out: safetensors weights and checkpoints, ONNX, and PyTorch source. */
export * from './safetensors';
export * from './onnx';
export * from './pytorch';
export { inputColumnsMismatch, MODEL_METADATA_KEYS, modelMetadataEntries, readModelMetadata, type ModelMetadata } from './model-metadata';
export { windowPads } from './window-pads';
