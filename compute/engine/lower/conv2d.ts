import type { Conv2DSpec } from '../../cpu/conv2d';
import type { Padding } from '../../cpu/window-geometry';
import { col2im, im2col, im2colShape } from '../../kernels/im2col';
import type { ColumnSumParams } from '../../kernels/reductions';
import type { MatmulParams } from '../../kernels/matmul-params';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import { firstInput, type LayerLowering } from './types';

/**
 * Conv2D as im2col + matmul (see kernels/im2col.ts). The im2col matrix is kept from the forward
 * pass for the weight gradient; the input gradient goes dCols = dY·Wᵀ, then col2im.
 */
export function convSpec(b: PlanBuilder, node: PlanNode): Conv2DSpec {
  const [height, width, inChannels] = node.inputs[0]!.shape as [number, number, number];
  const p = node.params;
  const k = p['kernelSize'] as number;
  const stride = p['stride'] as number;
  return {
    batch: b.batch, height, width, inChannels, outChannels: p['filters'] as number,
    kernelH: k, kernelW: k, strideH: stride, strideW: stride, padding: p['padding'] as Padding,
  };
}

export const conv2dLowering: LayerLowering = {
  forward(b, node) {
    const spec = convSpec(b, node);
    const { rows, cols: k } = im2colShape(spec);
    const cols = b.saved(node.id, 'im2col', () => b.floats('activation', `${node.id}.im2col`, rows * k));
    b.forwardCall('both', im2col, spec, { x: b.inputValue(node), cols }, node.id);
    const fusion = b.fusions.get(node.id);
    const bias = b.hasParam(node, 'bias');
    const y = b.newValue(node);
    b.forwardCall('both', b.select<MatmulParams>('matmul'), {
      m: rows, k, n: spec.outChannels, bias,
      ...(fusion ? { activation: fusion.activation, alpha: fusion.alpha } : {}),
    }, { a: cols, b: b.param(node, 'weight').ref, ...(bias ? { bias: b.param(node, 'bias').ref } : {}), c: y }, node.id);
  },
  backward(b, node) {
    const spec = convSpec(b, node);
    const { rows, cols: k } = im2colShape(spec);
    const cols = b.saved(node.id, 'im2col');
    const dy = b.grad(node.id);
    const matmul = b.select<MatmulParams>('matmul');
    b.backwardCall(matmul, { m: k, k: rows, n: spec.outChannels, transA: true }, { a: cols, b: dy, c: b.param(node, 'weight').gradRef! }, node.id);
    if (b.hasParam(node, 'bias')) {
      b.backwardCall(b.select<ColumnSumParams>('column-sum'), { rows, cols: spec.outChannels }, { x: dy, y: b.param(node, 'bias').gradRef! }, node.id);
    }
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const dCols = b.acquireScratch(rows * k);
    b.backwardCall(matmul, { m: rows, k: spec.outChannels, n: k, transB: true }, { a: dy, b: b.param(node, 'weight').ref, c: dCols }, node.id);
    const sink = b.gradSink(source, count);
    b.backwardCall(col2im, spec, { cols: dCols, dx: sink.ref }, node.id);
    sink.done();
    b.releaseScratch(dCols);
  },
};
