import { activate, activateBackward, type Activation } from '../../cpu/activations';
import { softmax, softmaxBackward } from '../../cpu/softmax';
import type { Values } from '../../cpu/types';
import { input, type LayerOp, type OpForwardArgs } from './types';

const alphaOf = (args: OpForwardArgs) => (args.node.params['alpha'] as number | undefined) ?? 0.01;

/** Element-wise activations; backward needs the pre-activation input, which the executor keeps. */
export function activationOp(kind: Activation): LayerOp {
  return {
    forward: (args) => ({ output: activate(kind, input(args, 0), alphaOf(args)) }),
    backward: (args) => ({ dInputs: [activateBackward(kind, input(args, 0), args.dOutput, alphaOf(args))] }),
  };
}

function lastAxis(args: OpForwardArgs): { rows: number; cols: number } {
  const shape = args.node.inputs[0]!.shape;
  const cols = shape[shape.length - 1]!;
  return { rows: input(args, 0).length / cols, cols };
}

/** Softmax over the last axis; backward uses the output. */
export const softmaxOp: LayerOp = {
  forward(args) {
    const { rows, cols } = lastAxis(args);
    return { output: softmax(input(args, 0), rows, cols) };
  },
  backward(args) {
    const { rows, cols } = lastAxis(args);
    return { dInputs: [softmaxBackward(args.output as Values, args.dOutput, rows, cols)] };
  },
};
