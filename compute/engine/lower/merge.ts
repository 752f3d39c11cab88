import { concatBackward, concatForward, type ConcatParams } from '../../kernels/concat';
import { add } from '../../kernels/elementwise';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import { perExample, type LayerLowering } from './types';

/** Add: y = a + b; both inputs receive dY unchanged. */
export const addLowering: LayerLowering = {
  forward(b, node) {
    const count = b.batch * perExample(node.outputShape);
    b.forwardCall('both', add, { count }, { a: b.inputValue(node, 0), b: b.inputValue(node, 1), y: b.newValue(node) }, node.id);
  },
  backward(b, node) {
    const count = b.batch * perExample(node.outputShape);
    for (const input of node.inputs) {
      if (b.needsGrad(input.source)) b.passGrad(input.source, b.grad(node.id), count, node.id);
    }
  },
};

function concatParams(b: PlanBuilder, node: PlanNode): ConcatParams {
  const a = node.inputs[0]!.shape;
  const other = node.inputs[1]!.shape;
  const raw = node.params['axis'] as number;
  const axis = raw < 0 ? raw + a.length : raw;
  return { outer: b.batch * perExample(a.slice(0, axis)), sizeA: a[axis]!, sizeB: other[axis]!, inner: perExample(a.slice(axis + 1)) };
}

/** Concat along one axis; the backward splits dY (an input that needs no gradient gets scratch). */
export const concatLowering: LayerLowering = {
  forward(b, node) {
    b.forwardCall('both', concatForward, concatParams(b, node), { a: b.inputValue(node, 0), b: b.inputValue(node, 1), y: b.newValue(node) }, node.id);
  },
  backward(b, node) {
    const p = concatParams(b, node);
    const [ia, ib] = [node.inputs[0]!, node.inputs[1]!];
    const countA = p.outer * p.sizeA * p.inner;
    const countB = p.outer * p.sizeB * p.inner;
    const sinkA = b.needsGrad(ia.source) ? b.gradSink(ia.source, countA) : undefined;
    const sinkB = b.needsGrad(ib.source) ? b.gradSink(ib.source, countB) : undefined;
    const da = sinkA?.ref ?? b.acquireScratch(countA);
    const db = sinkB?.ref ?? b.acquireScratch(countB);
    b.backwardCall(concatBackward, p, { dy: b.grad(node.id), da, db }, node.id);
    if (sinkA) sinkA.done();
    else b.releaseScratch(da);
    if (sinkB) sinkB.done();
    else b.releaseScratch(db);
  },
};
