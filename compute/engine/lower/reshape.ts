import { firstInput, type LayerLowering } from './types';

/** Flatten and Reshape relabel a row-major buffer: the value and (usually) the gradient are aliases. */
export const reshapeLowering: LayerLowering = {
  forward(b, node) {
    b.setValue(node.id, b.inputValue(node));
  },
  backward(b, node) {
    const { source, count } = firstInput(b, node);
    if (b.needsGrad(source)) b.passGrad(source, b.grad(node.id), count, node.id);
  },
};
