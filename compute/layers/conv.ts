import { z } from 'zod';
import { formatShape } from '../graph/shape';
import type { Shape } from '../graph/types';
import { defineLayer, input, outputs, shapeError, tensorPort } from './define-layer';
import { initParam, intParam, useBiasParam } from './param-schemas';
import type { ShapeRuleResult } from './types';

const IN = [tensorPort('in', 'Image tensor [height, width, channels]')];
const OUT = [tensorPort('out', 'Image tensor [height, width, channels]')];

const paddingParam = z
  .enum(['valid', 'same'])
  .default('valid')
  .describe("'valid': no padding, the output shrinks; 'same': zero-pad so the output is ceil(input / stride)");

export const Conv2D = defineLayer({
  type: 'Conv2D',
  label: 'Conv 2D',
  category: 'conv',
  description: 'Slides learned square filters over an image in HWC layout.',
  inputs: IN,
  outputs: OUT,
  params: z.object({
    filters: intParam('Number of output channels', 32, 1, 4096),
    kernelSize: intParam('Width and height of each square filter', 3, 1, 31),
    stride: intParam('Step between filter positions', 1, 1, 16),
    padding: paddingParam,
    useBias: useBiasParam,
    init: initParam('he'),
  }),
  inferShapes(inputs, params) {
    return windowed('Conv2D', 'kernelSize', input(inputs, 'in'), params.kernelSize, params.stride, params.padding, params.filters);
  },
});

const poolParams = z.object({
  poolSize: intParam('Width and height of each pooling window', 2, 1, 16),
  stride: intParam('Step between pooling windows', 2, 1, 16),
  padding: paddingParam,
});

export const MaxPool2D = defineLayer({
  type: 'MaxPool2D',
  label: 'Max pool 2D',
  category: 'conv',
  description: 'Keeps the largest value in each window, per channel; padded positions never win.',
  inputs: IN,
  outputs: OUT,
  params: poolParams,
  inferShapes: (inputs, params) => windowed('MaxPool2D', 'poolSize', input(inputs, 'in'), params.poolSize, params.stride, params.padding),
});

export const AvgPool2D = defineLayer({
  type: 'AvgPool2D',
  label: 'Average pool 2D',
  category: 'conv',
  description: 'Averages each window, per channel, over the real (unpadded) values only.',
  inputs: IN,
  outputs: OUT,
  params: poolParams,
  inferShapes: (inputs, params) => windowed('AvgPool2D', 'poolSize', input(inputs, 'in'), params.poolSize, params.stride, params.padding),
});

/** Output shape of a square window sliding over HWC input; channels are kept unless a filter count is given. */
function windowed(
  layer: string,
  windowName: string,
  shape: Shape,
  window: number,
  stride: number,
  padding: 'valid' | 'same',
  channelsOut?: number,
): ShapeRuleResult {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || height === undefined || width === undefined || channels === undefined) {
    return shapeError(`${layer} expects an image [height, width, channels], got ${formatShape(shape)}`, 'in');
  }
  const outChannels = channelsOut ?? channels;
  if (padding === 'same') return outputs({ out: [Math.ceil(height / stride), Math.ceil(width / stride), outChannels] });
  if (window > height || window > width) {
    return shapeError(
      `${layer} ${windowName} ${window} is larger than its input ${formatShape(shape)}; use a smaller ${windowName} or padding 'same'`,
      'in',
    );
  }
  return outputs({
    out: [Math.floor((height - window) / stride) + 1, Math.floor((width - window) / stride) + 1, outChannels],
  });
}
