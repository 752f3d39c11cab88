import { shapeSize } from '../graph/shape';
import type { Shape } from '../graph/types';
import type { PlanNode } from '../model/plan';

/**
 * Forward FLOPs for ONE example, per layer type. A multiply-add counts as 2 FLOPs. The counts are
 * those of the training-mode forward pass (Dropout applies its mask, BatchNorm computes batch
 * statistics), because that is what a training quote pays for.
 *
 * | Layer                        | Forward FLOPs per example                                        | Output stored |
 * | ---------------------------- | ---------------------------------------------------------------- | ------------- |
 * | Input, Labels                | 0 (the feed is copied in, not computed)                          | yes           |
 * | Dense                        | rows · (2 · in · units + units if useBias), rows = leading dims  | yes           |
 * | Conv2D                       | Ho · Wo · Co · (2 · k² · Cin + 1 if useBias), padded taps counted | yes           |
 * | MaxPool2D, AvgPool2D         | k² per output element (k² − 1 compares or adds, + the average's divide) | yes    |
 * | ReLU, LeakyReLU, Sigmoid, Tanh, GELU | 1 per output element (transcendentals not weighted)     | yes           |
 * | Softmax                      | 5 per element: max, subtract, exp, sum, divide                    | yes           |
 * | BatchNorm                    | 7 per element: mean and variance (x, x², 2 adds → 3), then (x − μ) · 1/σ · γ + β (4) | yes |
 * | Dropout                      | 1 per element (the mask multiply)                                | yes           |
 * | Add                          | 1 per output element                                             | yes           |
 * | Concat                       | 0 (a copy)                                                       | yes           |
 * | Flatten, Reshape             | 0 (a relabelled view of the same buffer)                         | no (alias)    |
 * | SoftmaxCrossEntropy          | 6 per logit: the softmax's 5 plus 1 for the log-likelihood       | no output     |
 * | MSE                          | 3 per element: subtract, square, accumulate                      | no output     |
 *
 * Training FLOPs (forward + backward) are derived from these in model-facts.ts: 3× forward for layers
 * with trainable parameters (the backward pass computes both the input gradient and the weight
 * gradient, each about as costly as the forward), 2× for layers without. Optimizer updates and
 * per-batch work (BatchNorm's running averages) are per step, not per example, and are left out.
 */
export interface CostRule {
  forwardFlops(node: PlanNode): number;
  /**
   * False where the engine aliases the input buffer instead of writing a new one (Flatten, Reshape),
   * so the layer adds no activation memory.
   */
  readonly storesOutput: boolean;
}

export const SOFTMAX_FLOPS_PER_ELEMENT = 5;
export const CROSS_ENTROPY_FLOPS_PER_LOGIT = SOFTMAX_FLOPS_PER_ELEMENT + 1;
export const MSE_FLOPS_PER_ELEMENT = 3;
export const BATCHNORM_FLOPS_PER_ELEMENT = 7;

function inShape(node: PlanNode, index = 0): Shape {
  const input = node.inputs[index];
  // Validation guarantees every required input is connected and shaped before a plan exists.
  if (!input) throw new Error(`${node.type} '${node.id}' has no input ${index} in its plan`);
  return input.shape;
}

function outputElements(node: PlanNode): number {
  return node.outputShape ? shapeSize(node.outputShape) : 0;
}

const free: CostRule = { forwardFlops: () => 0, storesOutput: true };
const view: CostRule = { forwardFlops: () => 0, storesOutput: false };
const perOutputElement = (flops: number): CostRule => ({ forwardFlops: (node) => flops * outputElements(node), storesOutput: true });
const perInputElement = (flops: number): CostRule => ({ forwardFlops: (node) => flops * shapeSize(inShape(node)), storesOutput: true });

const dense: CostRule = {
  forwardFlops(node) {
    const shape = inShape(node);
    const inFeatures = shape[shape.length - 1]!;
    const rows = shapeSize(shape) / inFeatures;
    const units = node.params['units'] as number;
    const bias = node.params['useBias'] === false ? 0 : units;
    return rows * (2 * inFeatures * units + bias);
  },
  storesOutput: true,
};

const conv2d: CostRule = {
  forwardFlops(node) {
    const channelsIn = inShape(node)[2]!;
    const k = node.params['kernelSize'] as number;
    const bias = node.params['useBias'] === false ? 0 : 1;
    return outputElements(node) * (2 * k * k * channelsIn + bias);
  },
  storesOutput: true,
};

const pool: CostRule = {
  forwardFlops(node) {
    const k = node.params['poolSize'] as number;
    return outputElements(node) * k * k;
  },
  storesOutput: true,
};

/** One rule per catalog layer; rules.test.ts fails for a layer type without one. */
export const COST_RULES: Readonly<Record<string, CostRule>> = {
  Input: free,
  Labels: free,
  Dense: dense,
  Flatten: view,
  Reshape: view,
  Dropout: perOutputElement(1),
  Conv2D: conv2d,
  MaxPool2D: pool,
  AvgPool2D: pool,
  ReLU: perOutputElement(1),
  LeakyReLU: perOutputElement(1),
  Sigmoid: perOutputElement(1),
  Tanh: perOutputElement(1),
  GELU: perOutputElement(1),
  Softmax: perOutputElement(SOFTMAX_FLOPS_PER_ELEMENT),
  BatchNorm: perOutputElement(BATCHNORM_FLOPS_PER_ELEMENT),
  Add: perOutputElement(1),
  Concat: free,
  // Losses have no output; they are costed on the tensor they score (their first input).
  SoftmaxCrossEntropy: perInputElement(CROSS_ENTROPY_FLOPS_PER_LOGIT),
  MSE: perInputElement(MSE_FLOPS_PER_ELEMENT),
};
