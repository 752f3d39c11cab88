import { meanSquaredError, softmaxCrossEntropy } from '../../cpu/losses';
import { input, scaled, type LayerOp } from './types';

/**
 * Losses compute their gradient in the forward pass (the fused form is cheaper and stabler) and
 * hand it back scaled by the upstream weight in backward. Labels get no gradient.
 */
export const softmaxCrossEntropyOp: LayerOp = {
  forward(args) {
    const logits = input(args, 0);
    const classes = args.node.inputs[0]!.shape[0]!;
    const { loss, grad } = softmaxCrossEntropy(logits, input(args, 1), args.batch, classes);
    return { loss, saved: grad };
  },
  backward: (args) => ({ dInputs: [scaled(args.saved as Float64Array, args.dOutput[0]!), undefined] }),
};

export const mseOp: LayerOp = {
  forward(args) {
    const { loss, grad } = meanSquaredError(input(args, 0), input(args, 1));
    return { loss, saved: grad };
  },
  backward: (args) => ({ dInputs: [scaled(args.saved as Float64Array, args.dOutput[0]!), undefined] }),
};
