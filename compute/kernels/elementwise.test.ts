import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activate, activateBackward } from '../cpu/activations';
import { biasAdd as cpuBiasAdd } from '../cpu/bias';
import { add as cpuAdd } from '../cpu/combine';
import { dropout as cpuDropout } from '../cpu/dropout';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { runKernel, useTestGpu } from '../gpu/test-gpu';
import { activationBackward, activationForward } from './activation';
import { accumulate, add, biasAdd, dropoutMask } from './elementwise';
import { specialise } from './types';

const gpu = useTestGpu();
const rand = seededRandom(11);
const TOL = 1e-4;

describe('activation kernels', () => {
  for (const activation of ACTIVATIONS) {
    it(`${activation} forward and backward match the CPU reference`, async () => {
      const { runtime } = gpu();
      const count = 1001;
      // Include large magnitudes: tanh/gelu/sigmoid must not produce NaN there.
      const x = randomValues(rand, count, -6, 6);
      x[0] = 60;
      x[1] = -60;
      const dy = randomValues(rand, count);
      const fwd = await runKernel(runtime, activationForward, { count, activation, alpha: 0.05 }, { x }, { y: count });
      expect(maxRelativeError(fwd['y'] as Float32Array, activate(activation, x, 0.05))).toBeLessThan(TOL);
      const bwd = await runKernel(runtime, activationBackward, { count, activation, alpha: 0.05 }, { x, dy }, { dx: count });
      expect(maxRelativeError(bwd['dx'] as Float32Array, activateBackward(activation, x, dy, 0.05))).toBeLessThan(TOL);
    });
  }
});

describe('element-wise kernels', () => {
  it('bias-add with fused relu', async () => {
    const { runtime } = gpu();
    const x = randomValues(rand, 13 * 7);
    const bias = randomValues(rand, 7);
    const out = await runKernel(runtime, biasAdd, { rows: 13, cols: 7, activation: 'relu' }, { x, bias }, { y: 91 });
    expect(maxRelativeError(out['y'] as Float32Array, activate('relu', cpuBiasAdd(x, bias, 13, 7)))).toBeLessThan(TOL);
  });

  it('add and accumulate', async () => {
    const { runtime } = gpu();
    const a = randomValues(rand, 300);
    const b = randomValues(rand, 300);
    const sum = await runKernel(runtime, add, { count: 300 }, { a, b }, { y: 300 });
    expect(maxRelativeError(sum['y'] as Float32Array, cpuAdd([a, b]))).toBeLessThan(TOL);
    const acc = await runKernel(runtime, accumulate, { count: 300 }, { x: a }, { y: b });
    expect(maxRelativeError(acc['y'] as Float32Array, cpuAdd([a, b]))).toBeLessThan(TOL);
  });

  it('dropout with a given mask (forward and backward are the same kernel)', async () => {
    const { runtime } = gpu();
    const x = randomValues(rand, 257);
    const mask = Array.from({ length: 257 }, () => (rand() < 0.3 ? 0 : 1));
    const out = await runKernel(runtime, dropoutMask, { count: 257, rate: 0.3 }, { x, mask }, { y: 257 });
    expect(maxRelativeError(out['y'] as Float32Array, cpuDropout(x, mask, 0.3))).toBeLessThan(TOL);
    expect(() => runtime.kernel(dropoutMask, { count: 4, rate: 1 })).toThrow(/dropout rate must be in \[0, 1\)/);
  });

  it('spreads dispatches over a 2-D grid when a dimension limit is exceeded', async () => {
    const { runtime } = gpu();
    // Pretend the device allows only 3 workgroups per dimension: 2000 items need 8 workgroups of 256.
    const caps = { ...runtime.caps, maxWorkgroupsPerDimension: 3 };
    const count = 2000;
    const kernel = specialise(add, { count }, caps);
    expect(kernel.workgroups[1]).toBeGreaterThan(1);
    const a = randomValues(rand, count);
    const b = randomValues(rand, count);
    const out = await runKernel(runtime, add, { count }, { a, b }, { y: count }, kernel);
    expect(maxRelativeError(out['y'] as Float32Array, cpuAdd([a, b]))).toBeLessThan(TOL);
  });
});
