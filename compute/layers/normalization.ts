import { z } from 'zod';
import { formatShape } from '../graph/shape';
import { defineLayer, input, outputs, shapeError, tensorPort } from './define-layer';

export const BatchNorm = defineLayer({
  type: 'BatchNorm',
  label: 'Batch norm',
  category: 'normalization',
  description: 'Normalises each channel (the last axis) over the batch, then applies a learned scale and shift.',
  inputs: [tensorPort('in', 'Input tensor; the last axis holds the channels')],
  outputs: [tensorPort('out', 'Same shape as the input')],
  params: z.object({
    momentum: z.number().min(0).lt(1).default(0.9).describe('How much of the running mean and variance is kept at each step'),
    epsilon: z.number().gt(0).max(1).default(1e-5).describe('Added to the variance to avoid dividing by zero'),
  }),
  inferShapes(inputs) {
    const shape = input(inputs, 'in');
    if (shape.length === 0) return shapeError(`BatchNorm needs an input with a channel axis, got ${formatShape(shape)}`, 'in');
    return outputs({ out: shape });
  },
});
