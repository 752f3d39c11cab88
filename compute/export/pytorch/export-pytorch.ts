import type { ModelPlan } from '../../model/plan';
import { generateModelCode, type ModelCodeOptions } from './model-code';
import { generateTrainCode, type TrainCodeOptions } from './train-code';

export type PyTorchExportOptions = TrainCodeOptions & Pick<ModelCodeOptions, 'model'>;

/** Python sources to save side by side: `model.py` (the nn.Module and weight loading) and `train.py`. */
export interface PyTorchExport {
  readonly 'model.py': string;
  readonly 'train.py': string;
}

export function exportPyTorch(plan: ModelPlan, options: PyTorchExportOptions = {}): PyTorchExport {
  return {
    'model.py': generateModelCode(plan, { ...(options.className ? { className: options.className } : {}), ...(options.model ? { model: options.model } : {}) }),
    'train.py': generateTrainCode(plan, options),
  };
}
