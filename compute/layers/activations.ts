import { z } from 'zod';
import { defineLayer, input, outputs, tensorPort } from './define-layer';
import type { LayerSpec } from './types';

const IN = [tensorPort('in', 'Input tensor')];
const OUT = [tensorPort('out', 'Same shape as the input')];

function elementwise(type: string, label: string, description: string): LayerSpec {
  return defineLayer({
    type,
    label,
    category: 'activation',
    description,
    inputs: IN,
    outputs: OUT,
    params: z.object({}),
    inferShapes: (inputs) => outputs({ out: input(inputs, 'in') }),
  });
}

export const ReLU = elementwise('ReLU', 'ReLU', 'max(0, x) for every value.');
export const Sigmoid = elementwise('Sigmoid', 'Sigmoid', '1 / (1 + e^-x) for every value.');
export const Tanh = elementwise('Tanh', 'Tanh', 'Hyperbolic tangent of every value.');
export const GELU = elementwise('GELU', 'GELU', 'Gaussian error linear unit (tanh approximation) for every value.');
export const Softmax = elementwise(
  'Softmax',
  'Softmax',
  'Turns the last axis into probabilities. Not needed before SoftmaxCrossEntropy, which applies it itself.',
);

export const LeakyReLU = defineLayer({
  type: 'LeakyReLU',
  label: 'Leaky ReLU',
  category: 'activation',
  description: 'x for positive values, alpha * x otherwise.',
  inputs: IN,
  outputs: OUT,
  params: z.object({
    alpha: z.number().min(0).max(1).default(0.01).describe('Slope for negative inputs'),
  }),
  inferShapes: (inputs) => outputs({ out: input(inputs, 'in') }),
});
