export { exportPyTorch, type PyTorchExport, type PyTorchExportOptions } from './export-pytorch';
export { generateModelCode, type ModelCodeOptions } from './model-code';
export { generateTrainCode, type TrainCodeOptions } from './train-code';
