import { activationBackward, activationForward, type ActivationParams } from '../../kernels/activation';
import { activationOutputGrad } from '../../kernels/activation-output-grad';
import { softmaxForward } from '../../kernels/softmax';
import { softmaxBackward } from '../../kernels/softmax-backward';
import { activationOf, alphaOf } from '../fusion';
import { firstInput, type LayerLowering } from './types';

/**
 * Activations. When the producer fused this activation into its matmul epilogue, the node's value
 * is the producer's buffer and the backward differentiates through the output.
 */
export const activationLowering: LayerLowering = {
  forward(b, node) {
    const fusion = b.fusions.get(node.id);
    if (fusion) {
      b.setValue(node.id, b.inputValue(node));
      return;
    }
    const { count } = firstInput(b, node);
    const params: ActivationParams = { count, activation: activationOf(node)!, alpha: alphaOf(node) };
    b.forwardCall('both', activationForward, params, { x: b.inputValue(node), y: b.newValue(node) }, node.id);
  },
  backward(b, node) {
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const fusion = b.fusions.get(node.id);
    const sink = b.gradSink(source, count);
    if (fusion) {
      b.backwardCall(activationOutputGrad, { count, activation: fusion.activation, alpha: fusion.alpha }, { y: b.value(node.id), dy: b.grad(node.id), dx: sink.ref }, node.id);
    } else {
      const params: ActivationParams = { count, activation: activationOf(node)!, alpha: alphaOf(node) };
      b.backwardCall(activationBackward, params, { x: b.inputValue(node), dy: b.grad(node.id), dx: sink.ref }, node.id);
    }
    sink.done();
  },
};

/** Softmax over the last axis; the backward uses the output. */
export const softmaxLowering: LayerLowering = {
  forward(b, node) {
    const { shape, count } = firstInput(b, node);
    const cols = shape[shape.length - 1]!;
    b.forwardCall('both', softmaxForward, { rows: count / cols, cols }, { x: b.inputValue(node), y: b.newValue(node) }, node.id);
  },
  backward(b, node) {
    const { source, shape, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const cols = shape[shape.length - 1]!;
    const sink = b.gradSink(source, count);
    b.backwardCall(softmaxBackward, { rows: count / cols, cols }, { y: b.value(node.id), dy: b.grad(node.id), dx: sink.ref }, node.id);
    sink.done();
  },
};
