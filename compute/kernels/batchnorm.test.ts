import { describe, expect, it } from 'vitest';
import { batchNormBackward, batchNormForward } from '../cpu/batchnorm';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { scratch, upload, useTestGpu } from '../gpu/test-gpu';
import { batchNormGradSums, batchNormInputGrad, batchNormNormalize, batchNormStats } from './batchnorm';

const gpu = useTestGpu();
const rand = seededRandom(31);
const TOL = 1e-4;

describe('batch norm kernels (training mode)', () => {
  it('forward and backward match the CPU reference', async () => {
    const { runtime } = gpu();
    const rows = 45;
    const channels = 7;
    const p = { rows, channels };
    const x = randomValues(rand, rows * channels, -3, 5);
    const gamma = randomValues(rand, channels, 0.5, 1.5);
    const beta = randomValues(rand, channels);
    const dy = randomValues(rand, rows * channels);
    const b = {
      x: upload(runtime, x), gamma: upload(runtime, gamma), beta: upload(runtime, beta), dy: upload(runtime, dy),
      mean: scratch(runtime, channels), invStd: scratch(runtime, channels), y: scratch(runtime, rows * channels),
      dGamma: scratch(runtime, channels), dBeta: scratch(runtime, channels), dx: scratch(runtime, rows * channels),
    };
    runtime.dispatch(runtime.kernel(batchNormStats, p), { x: b.x, mean: b.mean, invStd: b.invStd });
    runtime.dispatch(runtime.kernel(batchNormNormalize, p), { x: b.x, mean: b.mean, invStd: b.invStd, gamma: b.gamma, beta: b.beta, y: b.y });
    runtime.dispatch(runtime.kernel(batchNormGradSums, p), { x: b.x, dy: b.dy, mean: b.mean, invStd: b.invStd, dGamma: b.dGamma, dBeta: b.dBeta });
    runtime.dispatch(runtime.kernel(batchNormInputGrad, p), {
      x: b.x, dy: b.dy, mean: b.mean, invStd: b.invStd, gamma: b.gamma, dGamma: b.dGamma, dBeta: b.dBeta, dx: b.dx,
    });
    const f = batchNormForward(x, gamma, beta, rows, channels);
    const g = batchNormBackward(x, gamma, dy, f.mean, f.invStd, rows, channels);
    expect(maxRelativeError(await runtime.readFloat32(b.mean), f.mean)).toBeLessThan(TOL);
    expect(maxRelativeError(await runtime.readFloat32(b.y), f.y)).toBeLessThan(TOL);
    expect(maxRelativeError(await runtime.readFloat32(b.dGamma), g.dGamma)).toBeLessThan(TOL);
    expect(maxRelativeError(await runtime.readFloat32(b.dBeta), g.dBeta)).toBeLessThan(TOL);
    expect(maxRelativeError(await runtime.readFloat32(b.dx), g.dx)).toBeLessThan(TOL);
  });
});
