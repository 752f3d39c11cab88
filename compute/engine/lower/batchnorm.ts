import { batchNormGradSums, batchNormInputGrad, batchNormNormalize } from '../../kernels/batchnorm';
import { batchNormRunningStats, batchNormTrainStats } from '../../kernels/batchnorm-running';
import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';
import { firstInput, type LayerLowering } from './types';

/**
 * BatchNorm over the last axis. Training: batch statistics (also folded into the running buffers),
 * then normalise. Inference: statistics from the running buffers, then the same normalise call.
 */
function view(b: PlanBuilder, node: PlanNode) {
  const { shape, count } = firstInput(b, node);
  const channels = shape[shape.length - 1]!;
  return { rows: count / channels, channels, eps: node.params['epsilon'] as number, momentum: node.params['momentum'] as number };
}

export const batchNormLowering: LayerLowering = {
  forward(b, node) {
    const { rows, channels, eps, momentum } = view(b, node);
    const x = b.inputValue(node);
    const mean = b.saved(node.id, 'mean', () => b.floats('activation', `${node.id}.mean`, channels));
    const invStd = b.saved(node.id, 'invStd', () => b.floats('activation', `${node.id}.invStd`, channels));
    const runningMean = b.param(node, 'running_mean').ref;
    const runningVar = b.param(node, 'running_var').ref;
    b.forwardCall('training', batchNormTrainStats, { rows, channels, eps, momentum }, { x, mean, invStd, runningMean, runningVar }, node.id);
    b.forwardCall('inference', batchNormRunningStats, { channels, eps }, { runningMean, runningVar, mean, invStd }, node.id);
    b.forwardCall('both', batchNormNormalize, { rows, channels, eps }, {
      x, mean, invStd, gamma: b.param(node, 'weight').ref, beta: b.param(node, 'bias').ref, y: b.newValue(node),
    }, node.id);
  },
  backward(b, node) {
    const { rows, channels, eps } = view(b, node);
    const x = b.inputValue(node);
    const dy = b.grad(node.id);
    const mean = b.saved(node.id, 'mean');
    const invStd = b.saved(node.id, 'invStd');
    const dGamma = b.param(node, 'weight').gradRef!;
    const dBeta = b.param(node, 'bias').gradRef!;
    b.backwardCall(batchNormGradSums, { rows, channels, eps }, { x, dy, mean, invStd, dGamma, dBeta }, node.id);
    const { source, count } = firstInput(b, node);
    if (!b.needsGrad(source)) return;
    const sink = b.gradSink(source, count);
    b.backwardCall(batchNormInputGrad, { rows, channels, eps }, { x, dy, mean, invStd, gamma: b.param(node, 'weight').ref, dGamma, dBeta, dx: sink.ref }, node.id);
    sink.done();
  },
};
