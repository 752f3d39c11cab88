import type { Pool2DSpec } from '../../cpu/pool2d';
import type { Padding } from '../../cpu/window-geometry';
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from '../../kernels/pool';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import { firstInput, perExample, type LayerLowering } from './types';

function poolSpec(b: PlanBuilder, node: PlanNode): Pool2DSpec {
  const [height, width, channels] = node.inputs[0]!.shape as [number, number, number];
  const k = node.params['poolSize'] as number;
  const stride = node.params['stride'] as number;
  return { batch: b.batch, height, width, channels, kernelH: k, kernelW: k, strideH: stride, strideW: stride, padding: node.params['padding'] as Padding };
}

/** Max pooling records the argmax in the forward pass; its backward routes dY through it. */
export const maxPoolLowering: LayerLowering = {
  forward(b, node) {
    const y = b.newValue(node);
    const argmax = b.saved(node.id, 'argmax', () => b.floats('activation', `${node.id}.argmax`, b.batch * perExample(node.outputShape)));
    b.forwardCall('both', maxPoolForward, poolSpec(b, node), { x: b.inputValue(node), y, argmax }, node.id);
  },
  backward(b, node) {
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const sink = b.gradSink(source, count);
    b.backwardCall(maxPoolBackward, poolSpec(b, node), { dy: b.grad(node.id), argmax: b.saved(node.id, 'argmax'), dx: sink.ref }, node.id);
    sink.done();
  },
};

export const avgPoolLowering: LayerLowering = {
  forward(b, node) {
    b.forwardCall('both', avgPoolForward, poolSpec(b, node), { x: b.inputValue(node), y: b.newValue(node) }, node.id);
  },
  backward(b, node) {
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const sink = b.gradSink(source, count);
    b.backwardCall(avgPoolBackward, poolSpec(b, node), { dy: b.grad(node.id), dx: sink.ref }, node.id);
    sink.done();
  },
};
