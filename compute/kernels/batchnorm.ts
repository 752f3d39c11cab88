import { DEFAULT_BATCHNORM_EPS } from '../cpu/batchnorm';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * Batch normalisation in training mode over a [rows, channels] view (NHWC: rows = N·H·W), as four
 * barrier-free passes: per-channel statistics, normalise, per-channel gradient sums, input gradient.
 * The per-channel passes loop over rows serially (channel counts are small and rows are contiguous
 * per invocation step); the element passes are one invocation per element.
 */
export interface BatchNormParams {
  readonly rows: number;
  readonly channels: number;
  readonly eps?: number;
}

const validate = (p: BatchNormParams) => {
  requirePositiveInt('rows', p.rows);
  requirePositiveInt('channels', p.channels);
};

/**
 * WGSL for invocation `i`'s channel: its batch mean `m`, biased `variance` and `invStd[i]`. Shared by
 * the plain statistics kernel and the one that also folds into the running statistics.
 */
export function channelStatsWgsl(rows: number, channels: number, eps: number | undefined): string {
  return `  var s = 0.0;
  for (var r = 0u; r < ${rows}u; r = r + 1u) { s = s + x[r * ${channels}u + i]; }
  let m = s / ${f32Literal(rows)};
  var q = 0.0;
  for (var r = 0u; r < ${rows}u; r = r + 1u) { let d = x[r * ${channels}u + i] - m; q = q + d * d; }
  let variance = q / ${f32Literal(rows)};
  mean[i] = m;
  invStd[i] = inverseSqrt(variance + ${f32Literal(eps ?? DEFAULT_BATCHNORM_EPS)});`;
}

const common = {
  variant: 'portable' as const,
  validate,
  workgroupSize: (_p: BatchNormParams, caps: Parameters<typeof itemWorkgroupSize>[0]) => itemWorkgroupSize(caps),
};

export const batchNormStats: KernelDef<BatchNormParams> = {
  ...common,
  name: 'batchnorm.stats',
  op: 'batchnorm-stats',
  summary: 'per-channel batch mean and 1/sqrt(biased variance + eps)',
  bindings: () => [input('x', 'input [rows, channels]'), output('mean', 'mean [channels]'), output('invStd', '1/sqrt(var + eps) [channels]')],
  workgroups: (p, caps) => itemWorkgroups(p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormStats.bindings(p),
        items: p.channels,
        body: channelStatsWgsl(p.rows, p.channels, p.eps),
      },
      caps,
    ),
};

export const batchNormNormalize: KernelDef<BatchNormParams> = {
  ...common,
  name: 'batchnorm.normalize',
  op: 'batchnorm',
  summary: 'y = gamma·(x − mean)·invStd + beta',
  bindings: () => [
    input('x', 'input [rows, channels]'), input('mean', 'from batchnorm.stats'), input('invStd', 'from batchnorm.stats'),
    input('gamma', 'scale [channels]'), input('beta', 'shift [channels]'), output('y', 'output [rows, channels]'),
  ],
  workgroups: (p, caps) => itemWorkgroups(p.rows * p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormNormalize.bindings(p),
        items: p.rows * p.channels,
        body: `  let c = i % ${p.channels}u;
  y[i] = gamma[c] * (x[i] - mean[c]) * invStd[c] + beta[c];`,
      },
      caps,
    ),
};

export const batchNormGradSums: KernelDef<BatchNormParams> = {
  ...common,
  name: 'batchnorm.grad-sums',
  op: 'batchnorm-grad-params',
  summary: 'dGamma = Σ dy·x̂ and dBeta = Σ dy per channel',
  bindings: () => [
    input('x', 'forward input'), input('dy', 'gradient of the output'), input('mean', 'forward mean'), input('invStd', 'forward invStd'),
    output('dGamma', 'gradient of gamma [channels]'), output('dBeta', 'gradient of beta [channels]'),
  ],
  workgroups: (p, caps) => itemWorkgroups(p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormGradSums.bindings(p),
        items: p.channels,
        body: `  var sg = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < ${p.rows}u; r = r + 1u) {
    let j = r * ${p.channels}u + i;
    sg = sg + dy[j] * (x[j] - mean[i]) * invStd[i];
    sb = sb + dy[j];
  }
  dGamma[i] = sg;
  dBeta[i] = sb;`,
      },
      caps,
    ),
};

export const batchNormInputGrad: KernelDef<BatchNormParams> = {
  ...common,
  name: 'batchnorm.input-grad',
  op: 'batchnorm-grad',
  summary: 'dx = gamma·invStd/rows · (rows·dy − dBeta − x̂·dGamma), through the batch statistics',
  bindings: () => [
    input('x', 'forward input'), input('dy', 'gradient of the output'), input('mean', 'forward mean'), input('invStd', 'forward invStd'),
    input('gamma', 'scale'), input('dGamma', 'from batchnorm.grad-sums'), input('dBeta', 'from batchnorm.grad-sums'),
    output('dx', 'gradient of the input'),
  ],
  workgroups: (p, caps) => itemWorkgroups(p.rows * p.channels, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: batchNormInputGrad.bindings(p),
        items: p.rows * p.channels,
        body: `  let c = i % ${p.channels}u;
  let xhat = (x[i] - mean[c]) * invStd[c];
  let rows = ${f32Literal(p.rows)};
  dx[i] = gamma[c] * invStd[c] / rows * (rows * dy[i] - dBeta[c] - xhat * dGamma[c]);`,
      },
      caps,
    ),
};
