import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, type Pool2DSpec } from '../../cpu/pool2d';
import type { Padding } from '../../cpu/window-geometry';
import { input, type LayerOp, type OpForwardArgs } from './types';

function spec(args: OpForwardArgs): Pool2DSpec {
  const [height, width, channels] = args.node.inputs[0]!.shape as [number, number, number];
  const p = args.node.params;
  const k = p['poolSize'] as number;
  const stride = p['stride'] as number;
  return { batch: args.batch, height, width, channels, kernelH: k, kernelW: k, strideH: stride, strideW: stride, padding: p['padding'] as Padding };
}

export const maxPool2dOp: LayerOp = {
  forward: (args) => ({ output: maxPool2d(input(args, 0), spec(args)) }),
  backward: (args) => ({ dInputs: [maxPool2dBackward(input(args, 0), args.dOutput, spec(args))] }),
};

export const avgPool2dOp: LayerOp = {
  forward: (args) => ({ output: avgPool2d(input(args, 0), spec(args)) }),
  backward: (args) => ({ dInputs: [avgPool2dBackward(args.dOutput, spec(args))] }),
};
