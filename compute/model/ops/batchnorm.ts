import { batchNormBackward, batchNormForward } from '../../cpu/batchnorm';
import type { Values } from '../../cpu/types';
import { input, type LayerOp, type OpForwardArgs } from './types';

/**
 * BatchNorm over the last axis. Training normalises with the batch statistics and folds them into
 * the running buffers: running ← momentum·running + (1 − momentum)·batch, where `momentum` is the
 * fraction kept (Keras' convention; PyTorch's momentum is 1 − ours). As in PyTorch, the running
 * variance uses the unbiased estimate while the normalisation uses the biased one, so an exported
 * model matches what PyTorch would have learnt. Inference uses the running buffers.
 */
function view(args: OpForwardArgs): { rows: number; channels: number; eps: number; momentum: number } {
  const shape = args.node.inputs[0]!.shape;
  const channels = shape[shape.length - 1]!;
  return {
    rows: input(args, 0).length / channels,
    channels,
    eps: args.node.params['epsilon'] as number,
    momentum: args.node.params['momentum'] as number,
  };
}

interface TrainingSaved {
  readonly mean: Float64Array;
  readonly invStd: Float64Array;
}

/** Running statistics turned into the per-channel mean and 1/std used at inference. */
function inferenceStats(args: OpForwardArgs, channels: number, eps: number): TrainingSaved {
  const runningMean = args.param('running_mean');
  const runningVar = args.param('running_var');
  const mean = new Float64Array(channels);
  const invStd = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = runningMean[c]!;
    invStd[c] = 1 / Math.sqrt(runningVar[c]! + eps);
  }
  return { mean, invStd };
}

export const batchNormOp: LayerOp = {
  forward(args) {
    const { rows, channels, eps, momentum } = view(args);
    const x = input(args, 0);
    const gamma = args.param('weight');
    const beta = args.param('bias');
    if (args.training) {
      const r = batchNormForward(x, gamma, beta, rows, channels, eps);
      const runningMean = args.param('running_mean');
      const runningVar = args.param('running_var');
      const unbias = rows > 1 ? rows / (rows - 1) : 1;
      for (let c = 0; c < channels; c++) {
        runningMean[c] = momentum * runningMean[c]! + (1 - momentum) * r.mean[c]!;
        runningVar[c] = momentum * runningVar[c]! + (1 - momentum) * r.variance[c]! * unbias;
      }
      const saved: TrainingSaved = { mean: r.mean, invStd: r.invStd };
      return { output: r.y, saved };
    }
    const stats = inferenceStats(args, channels, eps);
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const c = i % channels;
      y[i] = gamma[c]! * (x[i]! - stats.mean[c]!) * stats.invStd[c]! + beta[c]!;
    }
    return { output: y, saved: stats };
  },
  backward(args) {
    const { rows, channels } = view(args);
    const x = input(args, 0);
    const gamma = args.param('weight');
    const { mean, invStd } = args.saved as TrainingSaved;
    if (args.training) {
      const { dx, dGamma, dBeta } = batchNormBackward(x, gamma, args.dOutput, mean, invStd, rows, channels);
      return { dInputs: [dx], dParams: { weight: dGamma, bias: dBeta } };
    }
    // Inference mode: the statistics are constants, so BatchNorm is a per-channel affine map.
    return { dInputs: [frozenInputGrad(args.dOutput, gamma, invStd, channels)], dParams: frozenParamGrads(x, args.dOutput, mean, invStd, channels) };
  },
};

function frozenInputGrad(dy: Values, gamma: Values, invStd: Float64Array, channels: number): Float64Array {
  const dx = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i]! * gamma[i % channels]! * invStd[i % channels]!;
  return dx;
}

function frozenParamGrads(x: Values, dy: Values, mean: Float64Array, invStd: Float64Array, channels: number) {
  const weight = new Float64Array(channels);
  const bias = new Float64Array(channels);
  for (let i = 0; i < dy.length; i++) {
    const c = i % channels;
    weight[c] = weight[c]! + dy[i]! * (x[i]! - mean[c]!) * invStd[c]!;
    bias[c] = bias[c]! + dy[i]!;
  }
  return { weight, bias };
}
