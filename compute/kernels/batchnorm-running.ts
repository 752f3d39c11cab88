import { DEFAULT_BATCHNORM_EPS } from '../cpu/batchnorm';
import { channelStatsWgsl } from './batchnorm';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * BatchNorm's running statistics. Training computes the batch statistics and folds them into the
 * running buffers in the same pass (running ← momentum·running + (1 − momentum)·batch, with the
 * unbiased variance, matching compute/model); inference turns the running buffers into the
 * mean / invStd pair that batchnorm.normalize consumes, so both modes share the normalise kernel.
 */
export interface BatchNormTrainStatsParams {
  readonly rows: number;
  readonly channels: number;
  readonly eps?: number;
  /** Fraction of the running statistics kept per step (Keras convention). */
  readonly momentum: number;
}

export const batchNormTrainStats: KernelDef<BatchNormTrainStatsParams> = {
  name: 'batchnorm.stats-running',
  op: 'batchnorm-stats-running',
  variant: 'portable',
  summary: 'per-channel batch mean and invStd, and the running mean/variance update, in one pass',
  bindings: () => [
    input('x', 'input [rows, channels]'),
    output('mean', 'batch mean [channels]'),
    output('invStd', '1/sqrt(biased variance + eps) [channels]'),
    output('runningMean', 'running mean, updated in place'),
    output('runningVar', 'running (unbiased) variance, updated in place'),
  ],
  validate: (p) => {
    requirePositiveInt('rows', p.rows);
    requirePositiveInt('channels', p.channels);
    if (!(p.momentum >= 0 && p.momentum <= 1)) throw new RangeError(`momentum must be in [0, 1], got ${p.momentum}`);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormTrainStats.bindings(p),
        items: p.channels,
        body: `${channelStatsWgsl(p.rows, p.channels, p.eps)}
  let keep = ${f32Literal(p.momentum)};
  runningMean[i] = keep * runningMean[i] + (1.0 - keep) * m;
  runningVar[i] = keep * runningVar[i] + (1.0 - keep) * variance * ${f32Literal(p.rows > 1 ? p.rows / (p.rows - 1) : 1)};`,
      },
      caps,
    ),
};

export interface BatchNormRunningStatsParams {
  readonly channels: number;
  readonly eps?: number;
}

export const batchNormRunningStats: KernelDef<BatchNormRunningStatsParams> = {
  name: 'batchnorm.running-stats',
  op: 'batchnorm-running-stats',
  variant: 'portable',
  summary: 'inference: mean = running mean, invStd = 1/sqrt(running var + eps)',
  bindings: () => [
    input('runningMean', 'running mean [channels]'),
    input('runningVar', 'running variance [channels]'),
    output('mean', 'mean for batchnorm.normalize'),
    output('invStd', 'invStd for batchnorm.normalize'),
  ],
  validate: (p) => requirePositiveInt('channels', p.channels),
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormRunningStats.bindings(p),
        items: p.channels,
        body: `  mean[i] = runningMean[i];
  invStd[i] = inverseSqrt(runningVar[i] + ${f32Literal(p.eps ?? DEFAULT_BATCHNORM_EPS)});`,
      },
      caps,
    ),
};
