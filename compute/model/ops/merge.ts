import { add, concat, concatBackward } from '../../cpu/combine';
import { sizeOf } from '../tensor';
import { input, type LayerOp, type OpForwardArgs } from './types';

export const addOp: LayerOp = {
  forward: (args) => ({ output: add([input(args, 0), input(args, 1)]) }),
  backward: (args) => ({ dInputs: [args.dOutput, args.dOutput] }),
};

/** Views both inputs as [outer, size, inner] around the (per-example) concat axis. */
function layout(args: OpForwardArgs): { sizes: number[]; outer: number; inner: number } {
  const a = args.node.inputs[0]!.shape;
  const b = args.node.inputs[1]!.shape;
  const raw = args.node.params['axis'] as number;
  const axis = raw < 0 ? raw + a.length : raw;
  return {
    sizes: [a[axis]!, b[axis]!],
    outer: args.batch * sizeOf(a.slice(0, axis)),
    inner: sizeOf(a.slice(axis + 1)),
  };
}

export const concatOp: LayerOp = {
  forward(args) {
    const { sizes, outer, inner } = layout(args);
    return { output: concat([input(args, 0), input(args, 1)], sizes, outer, inner) };
  },
  backward(args) {
    const { sizes, outer, inner } = layout(args);
    return { dInputs: concatBackward(args.dOutput, sizes, outer, inner) };
  },
};
