import { z } from 'zod';
import { formatShape, shapesEqual } from '../graph/shape';
import { defineLayer, input, outputs, paramError, shapeError, tensorPort } from './define-layer';

export const Add = defineLayer({
  type: 'Add',
  label: 'Add',
  category: 'merge',
  description: 'Adds two tensors of the same shape element by element, e.g. for residual connections.',
  inputs: [tensorPort('a', 'First tensor'), tensorPort('b', 'Second tensor, same shape as the first')],
  outputs: [tensorPort('out', 'Element-wise sum')],
  params: z.object({}),
  inferShapes(inputs) {
    const a = input(inputs, 'a');
    const b = input(inputs, 'b');
    if (!shapesEqual(a, b)) return shapeError(`Add expects both inputs to have the same shape, got ${formatShape(a)} and ${formatShape(b)}`, 'b');
    return outputs({ out: a });
  },
});

export const Concat = defineLayer({
  type: 'Concat',
  label: 'Concatenate',
  category: 'merge',
  description: 'Joins two tensors along one axis; every other dimension must match.',
  inputs: [tensorPort('a', 'First tensor'), tensorPort('b', 'Second tensor')],
  outputs: [tensorPort('out', 'Joined tensor')],
  params: z.object({
    axis: z.number().int().min(-4).max(3).default(-1).describe('Axis to join along, not counting the batch; negative counts from the end'),
  }),
  inferShapes(inputs, params) {
    const a = input(inputs, 'a');
    const b = input(inputs, 'b');
    if (a.length !== b.length) {
      return shapeError(`Concat expects inputs of the same rank, got ${formatShape(a)} and ${formatShape(b)}`, 'b');
    }
    const axis = params.axis < 0 ? params.axis + a.length : params.axis;
    if (axis < 0 || axis >= a.length) {
      return paramError('axis', `axis ${params.axis} is out of range for inputs of rank ${a.length} (allowed ${-a.length} to ${a.length - 1})`);
    }
    for (let i = 0; i < a.length; i++) {
      if (i !== axis && a[i] !== b[i]) {
        return shapeError(
          `Concat on axis ${params.axis} expects all other dimensions to match, got ${formatShape(a)} and ${formatShape(b)}`,
          'b',
        );
      }
    }
    const out = [...a];
    out[axis] = a[axis]! + b[axis]!;
    return outputs({ out });
  },
});
