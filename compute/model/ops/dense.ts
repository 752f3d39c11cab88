import { biasAdd, biasGrad } from '../../cpu/bias';
import { sizeOf } from '../tensor';
import { matmulNN, matmulNT, matmulTN } from './dense-kernels';
import { input, type LayerOp, type OpForwardArgs } from './types';

/** Dense over the last axis: every leading axis (batch included) is just more rows. */
function dims(args: OpForwardArgs): { rows: number; k: number; n: number } {
  const shape = args.node.inputs[0]!.shape;
  const k = shape[shape.length - 1]!;
  return { rows: args.batch * sizeOf(shape.slice(0, -1)), k, n: args.node.params['units'] as number };
}

const hasBias = (args: OpForwardArgs) => args.node.params['useBias'] !== false;

export const denseOp: LayerOp = {
  forward(args) {
    const { rows, k, n } = dims(args);
    const y = matmulNN(input(args, 0), args.param('weight'), rows, k, n);
    return { output: hasBias(args) ? biasAdd(y, args.param('bias'), rows, n) : y };
  },
  backward(args) {
    const { rows, k, n } = dims(args);
    const dX = matmulNT(args.dOutput, args.param('weight'), rows, n, k);
    const dW = matmulTN(input(args, 0), args.dOutput, rows, k, n);
    return {
      dInputs: [dX],
      dParams: hasBias(args) ? { weight: dW, bias: biasGrad(args.dOutput, rows, n) } : { weight: dW },
    };
  },
};
