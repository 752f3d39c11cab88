import { assertLength, at, type Values } from './types';

/**
 * Batch normalisation in training mode over a row-major [rows, channels] view (for NHWC images,
 * rows = batch·height·width). Statistics use the biased variance, as the normalisation itself does
 * in PyTorch and TF; callers that keep running averages may rescale by rows/(rows−1).
 */
export interface BatchNormResult {
  readonly y: Float64Array;
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  /** 1/sqrt(variance + eps), kept for the backward pass. */
  readonly invStd: Float64Array;
}

export const DEFAULT_BATCHNORM_EPS = 1e-5;

export function batchNormForward(
  x: Values,
  gamma: Values,
  beta: Values,
  rows: number,
  channels: number,
  eps = DEFAULT_BATCHNORM_EPS,
): BatchNormResult {
  assertLength('x', x, rows * channels);
  assertLength('gamma', gamma, channels);
  assertLength('beta', beta, channels);
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const invStd = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += at(x, r * channels + c);
    const m = sum / rows;
    let sq = 0;
    for (let r = 0; r < rows; r++) sq += (at(x, r * channels + c) - m) ** 2;
    mean[c] = m;
    variance[c] = sq / rows;
    invStd[c] = 1 / Math.sqrt(sq / rows + eps);
  }
  const y = new Float64Array(rows * channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++) {
      const i = r * channels + c;
      y[i] = at(gamma, c) * (at(x, i) - at(mean, c)) * at(invStd, c) + at(beta, c);
    }
  }
  return { y, mean, variance, invStd };
}

/** Gradients through the batch statistics (training mode), given the forward's mean and invStd. */
export function batchNormBackward(
  x: Values,
  gamma: Values,
  dy: Values,
  mean: Values,
  invStd: Values,
  rows: number,
  channels: number,
): { dx: Float64Array; dGamma: Float64Array; dBeta: Float64Array } {
  assertLength('dy', dy, rows * channels);
  const dGamma = new Float64Array(channels);
  const dBeta = new Float64Array(channels);
  const dx = new Float64Array(rows * channels);
  for (let c = 0; c < channels; c++) {
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let r = 0; r < rows; r++) {
      const i = r * channels + c;
      const xhat = (at(x, i) - at(mean, c)) * at(invStd, c);
      sumDy += at(dy, i);
      sumDyXhat += at(dy, i) * xhat;
    }
    dGamma[c] = sumDyXhat;
    dBeta[c] = sumDy;
    const scale = (at(gamma, c) * at(invStd, c)) / rows;
    for (let r = 0; r < rows; r++) {
      const i = r * channels + c;
      const xhat = (at(x, i) - at(mean, c)) * at(invStd, c);
      dx[i] = scale * (rows * at(dy, i) - sumDy - xhat * sumDyXhat);
    }
  }
  return { dx, dGamma, dBeta };
}
