import { dropout, dropoutBackward } from '../../cpu/dropout';
import { input, type LayerOp, type OpForwardArgs } from './types';

const rateOf = (args: OpForwardArgs) => args.node.params['rate'] as number;

/** Inverted dropout: identity at inference, so nothing needs rescaling when a model is exported. */
export const dropoutOp: LayerOp = {
  forward(args) {
    const x = input(args, 0);
    const rate = rateOf(args);
    if (!args.training || rate === 0) return { output: x };
    const mask = new Uint8Array(x.length);
    for (let i = 0; i < mask.length; i++) mask[i] = args.random() >= rate ? 1 : 0;
    return { output: dropout(x, mask, rate), saved: mask };
  },
  backward(args) {
    const mask = args.saved as Uint8Array | undefined;
    return { dInputs: [mask ? dropoutBackward(args.dOutput, mask, rateOf(args)) : args.dOutput] };
  },
};
