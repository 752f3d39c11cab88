import type { ColumnSumParams } from '../../kernels/reductions';
import type { MatmulParams } from '../../kernels/matmul-params';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import { firstInput, perExample, type LayerLowering } from './types';

/**
 * Dense over the last axis (leading axes are more rows): one matmul with the bias and, when fused,
 * the activation in its epilogue. Backward: dW = Xᵀ·dY (transA), db = column sums of dY, and
 * dX = dY·Wᵀ (transB) only when the input needs a gradient.
 */
function dims(b: PlanBuilder, node: PlanNode): { rows: number; k: number; n: number } {
  const { shape } = firstInput(b, node);
  const k = shape[shape.length - 1]!;
  return { rows: b.batch * perExample(shape.slice(0, -1)), k, n: node.params['units'] as number };
}

export const denseLowering: LayerLowering = {
  forward(b, node) {
    const { rows, k, n } = dims(b, node);
    const fusion = b.fusions.get(node.id);
    const bias = b.hasParam(node, 'bias');
    const params: MatmulParams = {
      m: rows, k, n, bias,
      ...(fusion ? { activation: fusion.activation, alpha: fusion.alpha } : {}),
    };
    const y = b.newValue(node);
    b.forwardCall('both', b.select<MatmulParams>('matmul'), params, {
      a: b.inputValue(node),
      b: b.param(node, 'weight').ref,
      ...(bias ? { bias: b.param(node, 'bias').ref } : {}),
      c: y,
    }, node.id);
  },
  backward(b, node) {
    const { rows, k, n } = dims(b, node);
    const dy = b.grad(node.id);
    const x = b.inputValue(node);
    const matmul = b.select<MatmulParams>('matmul');
    b.backwardCall(matmul, { m: k, k: rows, n, transA: true }, { a: x, b: dy, c: b.param(node, 'weight').gradRef! }, node.id);
    if (b.hasParam(node, 'bias')) {
      b.backwardCall(b.select<ColumnSumParams>('column-sum'), { rows, cols: n }, { x: dy, y: b.param(node, 'bias').gradRef! }, node.id);
    }
    const { source, count } = firstInput(b, node);
    if (b.needsGrad(source)) {
      const sink = b.gradSink(source, count);
      b.backwardCall(matmul, { m: rows, k: n, n: k, transB: true }, { a: dy, b: b.param(node, 'weight').ref, c: sink.ref }, node.id);
      sink.done();
    }
  },
};
