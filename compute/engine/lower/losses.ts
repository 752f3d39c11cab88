import { meanSquaredError, softmaxCrossEntropy } from '../../kernels/softmax';
import { trainingMetrics } from '../../kernels/training-metrics';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import type { BufferRef } from '../plan-types';
import { perExample, type LayerLowering } from './types';

/**
 * Losses are fused: one kernel computes the per-row loss and the gradient of the scored tensor
 * during the forward pass (nothing happens in the backward), and a metrics kernel adds the step's
 * loss (and accuracy) to the GPU-side accumulator that the host reads every N steps.
 */
function ports(node: PlanNode): { scored: string; target: string; width: number } {
  const scored = node.inputs.find((i) => i.kind === 'tensor')!;
  const target = node.inputs.find((i) => i.kind === 'labels')!;
  return { scored: scored.source, target: target.source, width: perExample(scored.shape) };
}


function lowerLoss(b: PlanBuilder, node: PlanNode, emit: (grad: BufferRef, rowLoss: BufferRef, scored: BufferRef, target: BufferRef) => void, classes: number): void {
  const { scored, target, width } = ports(node);
  const count = b.batch * width;
  const rowLoss = b.saved(node.id, 'rowLoss', () => b.floats('metrics', `${node.id}.rowLoss`, b.batch));
  const sink = b.needsGrad(scored) ? b.gradSink(scored, count, 'forward') : undefined;
  const grad = sink?.ref ?? b.acquireScratch(count);
  emit(grad, rowLoss, b.value(scored), b.value(target));
  if (sink) sink.done();
  else b.releaseScratch(grad);
  const primary = b.claimPrimaryLoss(node.id);
  const accuracy = primary && classes > 0;
  b.forwardCall('training', trainingMetrics, { batch: b.batch, classes: accuracy ? classes : 0, primary }, {
    rowLoss,
    ...(accuracy ? { logits: b.value(scored), labels: b.value(target) } : {}),
    metrics: b.metricsRef(),
  }, node.id);
}

export const softmaxCrossEntropyLowering: LayerLowering = {
  forward(b, node) {
    const { width } = ports(node);
    lowerLoss(b, node, (grad, rowLoss, logits, labels) => {
      b.forwardCall('training', softmaxCrossEntropy, { batch: b.batch, classes: width }, { logits, labels, grad, rowLoss }, node.id);
    }, width);
  },
  backward: () => undefined,
};

export const mseLowering: LayerLowering = {
  forward(b, node) {
    const { width } = ports(node);
    lowerLoss(b, node, (grad, rowLoss, prediction, expected) => {
      b.forwardCall('training', meanSquaredError, { rows: b.batch, cols: width }, { prediction, expected, grad, rowLoss }, node.id);
    }, 0);
  },
  backward: () => undefined,
};
