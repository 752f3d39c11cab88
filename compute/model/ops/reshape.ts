import { input, type LayerOp } from './types';

/**
 * Flatten and Reshape: our tensors are row-major per example, so both are pure relabelling and
 * share the input's array (no op mutates its inputs). The gradient passes straight through.
 */
export const reshapeOp: LayerOp = {
  forward: (args) => ({ output: input(args, 0) }),
  backward: (args) => ({ dInputs: [args.dOutput] }),
};
