/** Getting trained models out: safetensors weights and checkpoints, ONNX, and PyTorch source. */
export * from './safetensors';
export * from './onnx';
export * from './pytorch';
export { windowPads } from './window-pads';
