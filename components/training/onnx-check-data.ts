import { ONNX_FEATURES_INPUT } from '@/compute/export';
import { getBatch } from '@/compute/data';
import { feedFromBatch, forward, type ModelPlan, type ParameterSet } from '@/compute/model';
import type { PreparedData } from '@/compute/train/prepare-data';
import type { OnnxCheckData } from './protocol';

/** Rows the in-page check runs: enough to catch a wrong constant, few enough to stay instant. */
export const ONNX_CHECK_ROWS = 64;

/**
 * Raw validation rows for the exported model, and what our whole pipeline answers for them: the
 * same rows as the run scaled them (fitted preprocessing), through our CPU forward pass. Classifiers
 * are compared on logits and probabilities, regression models on predictions.
 */
export function onnxCheckData(plan: ModelPlan, params: ParameterSet, data: Pick<PreparedData, 'validation' | 'rawValidation'>): OnnxCheckData {
  const count = Math.min(ONNX_CHECK_ROWS, data.validation.size);
  const scaled = getBatch(data.validation, 0, count);
  const out = forward(plan, params, { batch: scaled.size, inputs: feedFromBatch(plan, scaled).inputs }, { training: false });
  const output = plan.outputs[0]!;
  const values = Float32Array.from(out.values.get(output.source)!);
  const width = output.shape.reduce((a, b) => a * b, 1);
  const expected: Record<string, Float32Array> = output.lossType === 'SoftmaxCrossEntropy' ? { logits: values, probabilities: softmaxRows(values, width) } : { predictions: values };
  const raw = Float32Array.from(getBatch(data.rawValidation, 0, count).features);
  return { inputName: ONNX_FEATURES_INPUT, inputShape: plan.inputs[0]!.outputShape!, batch: scaled.size, features: raw, expected };
}

function softmaxRows(logits: Float32Array, width: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / width; r++) {
    let max = -Infinity;
    for (let c = 0; c < width; c++) max = Math.max(max, logits[r * width + c]!);
    let sum = 0;
    for (let c = 0; c < width; c++) sum += Math.exp(logits[r * width + c]! - max);
    for (let c = 0; c < width; c++) out[r * width + c] = Math.exp(logits[r * width + c]! - max) / sum;
  }
  return out;
}
