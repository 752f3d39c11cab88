import { z } from 'zod';
import { formatShape, shapesEqual } from '../graph/shape';
import { defineLayer, input, labelsPort, outputs, shapeError, tensorPort } from './define-layer';

/**
 * Softmax and cross-entropy fused into one layer, which is both numerically stable and cheaper to
 * differentiate. The number of classes is the size of the logits, so there is no parameter to keep in sync.
 */
export const SoftmaxCrossEntropy = defineLayer({
  type: 'SoftmaxCrossEntropy',
  label: 'Softmax cross-entropy',
  category: 'loss',
  description: 'Classification loss: applies softmax to the logits and compares with class-index labels.',
  inputs: [
    tensorPort('logits', 'Unnormalised scores [numClasses]; do not put a Softmax before this'),
    labelsPort('labels', 'Class index of each example, from a Labels layer with class-index encoding'),
  ],
  outputs: [],
  params: z.object({}),
  inferShapes(inputs) {
    const logits = input(inputs, 'logits');
    const labels = input(inputs, 'labels');
    if (logits.length !== 1) {
      return shapeError(`SoftmaxCrossEntropy expects logits of shape [numClasses], got ${formatShape(logits)}; add a Flatten or Dense layer first`, 'logits');
    }
    if (logits[0]! < 2) return shapeError(`SoftmaxCrossEntropy needs at least 2 classes, got logits ${formatShape(logits)}`, 'logits');
    if (labels.length !== 0) {
      return shapeError(
        `SoftmaxCrossEntropy expects one class index per example (shape []), got labels ${formatShape(labels)}; set the Labels layer's encoding to 'class-index'`,
        'labels',
      );
    }
    return outputs({});
  },
});

export const MSE = defineLayer({
  type: 'MSE',
  label: 'Mean squared error',
  category: 'loss',
  description: 'Regression loss: the mean of (prediction - target)^2.',
  inputs: [
    tensorPort('predictions', 'Model output'),
    labelsPort('targets', "Targets of the same shape, from a Labels layer with 'values' encoding"),
  ],
  outputs: [],
  params: z.object({}),
  inferShapes(inputs) {
    const predictions = input(inputs, 'predictions');
    const targets = input(inputs, 'targets');
    if (!shapesEqual(predictions, targets)) {
      return shapeError(
        `MSE expects predictions and targets to have the same shape, got ${formatShape(predictions)} and ${formatShape(targets)}`,
        'targets',
      );
    }
    return outputs({});
  },
});
