import { z } from 'zod';
import { formatShape, shapeSize } from '../graph/shape';
import { defineLayer, input, outputs, paramError, shapeError, tensorPort } from './define-layer';
import { initParam, intParam, MAX_DIM, useBiasParam } from './param-schemas';

const IN = [tensorPort('in', 'Input tensor')];
const OUT = [tensorPort('out', 'Output tensor')];

/** Fully connected layer over the last axis, like PyTorch's Linear and Keras' Dense. */
export const Dense = defineLayer({
  type: 'Dense',
  label: 'Dense',
  category: 'core',
  description: 'Fully connected layer: every output is a weighted sum of the last axis of the input.',
  inputs: IN,
  outputs: OUT,
  params: z.object({
    units: intParam('Number of outputs', 64, 1, MAX_DIM),
    useBias: useBiasParam,
    init: initParam('glorot'),
  }),
  inferShapes(inputs, params) {
    const shape = input(inputs, 'in');
    if (shape.length === 0) return shapeError('Dense needs an input with at least one dimension, got a scalar []', 'in');
    return outputs({ out: [...shape.slice(0, -1), params.units] });
  },
});

export const Flatten = defineLayer({
  type: 'Flatten',
  label: 'Flatten',
  category: 'core',
  description: 'Collapses each example into a single vector, e.g. [7, 7, 32] into [1568].',
  inputs: IN,
  outputs: OUT,
  params: z.object({}),
  inferShapes: (inputs) => outputs({ out: [shapeSize(input(inputs, 'in'))] }),
});

export const Reshape = defineLayer({
  type: 'Reshape',
  label: 'Reshape',
  category: 'core',
  description: 'Rearranges each example into a new shape with the same number of elements; one dimension may be -1 to infer it.',
  inputs: IN,
  outputs: OUT,
  params: z.object({
    targetShape: z
      .array(z.number().int().min(-1).max(MAX_DIM))
      .min(1)
      .max(4)
      .default([-1])
      .describe('New shape without the batch dimension; use -1 once to infer that dimension'),
  }),
  inferShapes(inputs, params) {
    const shape = input(inputs, 'in');
    const target = params.targetShape;
    const inferred = target.indexOf(-1);
    if (inferred !== target.lastIndexOf(-1)) return paramError('targetShape', `targetShape may contain -1 only once (got ${formatShape(target)})`);
    const zero = target.indexOf(0);
    if (zero >= 0) return paramError('targetShape', `targetShape[${zero}] must be a positive size or -1 (got 0)`);
    const size = shapeSize(shape);
    if (inferred < 0) {
      if (shapeSize(target) !== size) {
        return shapeError(`Reshape cannot turn ${formatShape(shape)} (${size} elements) into ${formatShape(target)} (${shapeSize(target)} elements)`, 'in');
      }
      return outputs({ out: target });
    }
    const known = -shapeSize(target);
    if (size % known !== 0) {
      return shapeError(`Reshape cannot turn ${formatShape(shape)} (${size} elements) into ${formatShape(target)}: ${size} is not divisible by ${known}`, 'in');
    }
    const out = [...target];
    out[inferred] = size / known;
    return outputs({ out });
  },
});

export const Dropout = defineLayer({
  type: 'Dropout',
  label: 'Dropout',
  category: 'core',
  description: 'During training, zeroes a random fraction of values and rescales the rest; does nothing at inference.',
  inputs: IN,
  outputs: OUT,
  params: z.object({
    rate: z.number().min(0).lt(1).default(0.5).describe('Fraction of values to drop, from 0 up to (not including) 1'),
  }),
  inferShapes: (inputs) => outputs({ out: input(inputs, 'in') }),
});
