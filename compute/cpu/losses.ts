import { assertLength, at, type Values } from './types';

export interface LossResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** Gradient of `loss` with respect to the prediction (already divided by the batch). */
  readonly grad: Float64Array;
}

/**
 * Fused softmax + cross-entropy on logits [batch, classes] with integer class labels.
 * loss = mean_b(logsumexp(z_b) − z_b[label_b]); dL/dz = (softmax(z) − onehot(label)) / batch.
 * Fusing avoids log(softmax) underflow and is one pass on the GPU.
 */
export function softmaxCrossEntropy(logits: Values, labels: Values, batch: number, classes: number): LossResult {
  assertLength('logits', logits, batch * classes);
  assertLength('labels', labels, batch);
  const grad = new Float64Array(batch * classes);
  let total = 0;
  for (let b = 0; b < batch; b++) {
    const label = at(labels, b);
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new RangeError(`label ${label} at row ${b} is not a class index in [0, ${classes})`);
    }
    const o = b * classes;
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, at(logits, o + c));
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(at(logits, o + c) - max);
    const logSumExp = max + Math.log(sum);
    total += logSumExp - at(logits, o + label);
    for (let c = 0; c < classes; c++) {
      const p = Math.exp(at(logits, o + c) - logSumExp);
      grad[o + c] = (p - (c === label ? 1 : 0)) / batch;
    }
  }
  return { loss: total / batch, grad };
}

/** Mean squared error over every element: loss = mean((p − t)²), dL/dp = 2(p − t)/count. */
export function meanSquaredError(prediction: Values, target: Values): LossResult {
  assertLength('target', target, prediction.length);
  const count = prediction.length;
  const grad = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const d = at(prediction, i) - at(target, i);
    total += d * d;
    grad[i] = (2 * d) / count;
  }
  return { loss: total / count, grad };
}
