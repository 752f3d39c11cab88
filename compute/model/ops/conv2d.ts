import { biasAdd, biasGrad } from '../../cpu/bias';
import { conv2d, conv2dBackward, conv2dOutputShape, type Conv2DSpec } from '../../cpu/conv2d';
import type { Padding } from '../../cpu/window-geometry';
import { input, type LayerOp, type OpForwardArgs } from './types';

function spec(args: OpForwardArgs): Conv2DSpec {
  const [height, width, inChannels] = args.node.inputs[0]!.shape as [number, number, number];
  const p = args.node.params;
  const k = p['kernelSize'] as number;
  const stride = p['stride'] as number;
  return {
    batch: args.batch,
    height,
    width,
    inChannels,
    outChannels: p['filters'] as number,
    kernelH: k,
    kernelW: k,
    strideH: stride,
    strideW: stride,
    padding: p['padding'] as Padding,
  };
}

/** Bias is added over [batch·outH·outW, filters] rows, the same view the GPU uses. */
function rows(s: Conv2DSpec): number {
  const [n, h, w] = conv2dOutputShape(s);
  return n * h * w;
}

const hasBias = (args: OpForwardArgs) => args.node.params['useBias'] !== false;

export const conv2dOp: LayerOp = {
  forward(args) {
    const s = spec(args);
    const y = conv2d(input(args, 0), args.param('weight'), s);
    return { output: hasBias(args) ? biasAdd(y, args.param('bias'), rows(s), s.outChannels) : y };
  },
  backward(args) {
    const s = spec(args);
    const { dInput, dWeights } = conv2dBackward(input(args, 0), args.param('weight'), args.dOutput, s);
    return {
      dInputs: [dInput],
      dParams: hasBias(args) ? { weight: dWeights, bias: biasGrad(args.dOutput, rows(s), s.outChannels) } : { weight: dWeights },
    };
  },
};
