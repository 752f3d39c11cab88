import { z } from 'zod';
import { defineLayer, outputs } from './define-layer';
import { shapeParam } from './param-schemas';

/** Where a batch of features enters the model. */
export const Input = defineLayer({
  type: 'Input',
  label: 'Input',
  category: 'io',
  description: 'Feeds one batch of dataset features into the model.',
  inputs: [],
  outputs: [{ name: 'out', kind: 'tensor', required: true, description: 'Features for each example' }],
  params: z.object({
    shape: shapeParam('Shape of one example without the batch dimension; images are [height, width, channels]', [784]),
  }),
  inferShapes: (_inputs, params) => outputs({ out: params.shape }),
});

/**
 * Where training targets enter the model. A dedicated layer (rather than a "role" flag on Input)
 * makes the two data streams visible on the canvas and gives targets their own port kind, so the
 * validator can tell features from labels by wiring alone.
 */
export const Labels = defineLayer({
  type: 'Labels',
  label: 'Labels',
  category: 'io',
  description: 'Feeds the training targets of one batch into a loss.',
  inputs: [],
  outputs: [{ name: 'out', kind: 'labels', required: true, description: 'Targets for each example' }],
  params: z.object({
    encoding: z
      .enum(['class-index', 'values'])
      .default('class-index')
      .describe("'class-index': one integer class per example (classification); 'values': a tensor per example (regression)"),
    shape: shapeParam("Shape of one target when encoding is 'values'", [1]),
  }),
  // Class indices are one scalar per example, hence the empty shape.
  inferShapes: (_inputs, params) => outputs({ out: params.encoding === 'class-index' ? [] : params.shape }),
});
