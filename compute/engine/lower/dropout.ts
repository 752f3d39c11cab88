import { copy } from '../../kernels/copy';
import { dropoutRandomMask } from '../../kernels/dropout-random';
import { dropoutMask } from '../../kernels/elementwise';
import { firstInput, type LayerLowering } from './types';

/**
 * Inverted dropout with a GPU-generated mask (seeded per step through a uniform). Inference is the
 * identity, done as a copy so the node keeps its own buffer in both modes. Rate 0 is an alias.
 */
export const dropoutLowering: LayerLowering = {
  forward(b, node) {
    const rate = node.params['rate'] as number;
    if (rate === 0) {
      b.setValue(node.id, b.inputValue(node));
      return;
    }
    const { count } = firstInput(b, node);
    const x = b.inputValue(node);
    const y = b.newValue(node);
    const mask = b.saved(node.id, 'mask', () => b.floats('activation', `${node.id}.mask`, count));
    const { salt, seed } = b.dropoutSalt();
    b.forwardCall('training', dropoutRandomMask, { count, rate, salt }, { mask, seed }, node.id);
    b.forwardCall('training', dropoutMask, { count, rate }, { x, mask, y }, node.id);
    b.forwardCall('inference', copy, { count }, { x, y }, node.id);
  },
  backward(b, node) {
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const rate = node.params['rate'] as number;
    if (rate === 0) {
      b.passGrad(source, b.grad(node.id), count, node.id);
      return;
    }
    const sink = b.gradSink(source, count);
    b.backwardCall(dropoutMask, { count, rate }, { x: b.grad(node.id), mask: b.saved(node.id, 'mask'), y: sink.ref }, node.id);
    sink.done();
  },
};
