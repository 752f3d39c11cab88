import { describe, expect, it } from 'vitest';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { adamStep, adamWStep, sgdStep } from '../cpu/optimizers';
import { upload, useTestGpu } from '../gpu/test-gpu';
import { adamUniforms, adamUpdate, adamWUpdate, sgdUniforms, sgdUpdate } from './optimizers';

const gpu = useTestGpu();
const rand = seededRandom(29);
const TOL = 1e-4;
const COUNT = 517;
const STEPS = 4;

/** Runs STEPS fused updates on the GPU with a fresh gradient each step, rewriting the uniforms every step. */
describe('fused optimizer kernels match the CPU reference over several steps', () => {
  it('SGD with momentum and weight decay', async () => {
    const { runtime } = gpu();
    const p = randomValues(rand, COUNT);
    const vel = new Float64Array(COUNT);
    const opts = { lr: 0.05, momentum: 0.9, weightDecay: 0.01 };
    const bp = upload(runtime, p);
    const bv = upload(runtime, vel);
    const bg = runtime.createBuffer(COUNT * 4);
    const hyper = runtime.createUniform(16);
    const kernel = runtime.kernel(sgdUpdate, { count: COUNT });
    for (let t = 1; t <= STEPS; t++) {
      const g = randomValues(rand, COUNT);
      const lr = opts.lr / t; // a schedule: the uniform changes, the pipeline does not
      runtime.write(bg, Float32Array.from(g));
      runtime.write(hyper, sgdUniforms({ ...opts, lr }));
      runtime.dispatch(kernel, { param: bp, grad: bg, velocity: bv, hyper });
      sgdStep(p, g, vel, { ...opts, lr });
    }
    expect(maxRelativeError(await runtime.readFloat32(bp), p)).toBeLessThan(TOL);
    expect(maxRelativeError(await runtime.readFloat32(bv), vel)).toBeLessThan(TOL);
  });

  for (const [name, def, cpu] of [['Adam', adamUpdate, adamStep], ['AdamW', adamWUpdate, adamWStep]] as const) {
    it(`${name} with weight decay and bias correction`, async () => {
      const { runtime } = gpu();
      const p = randomValues(rand, COUNT);
      const m = new Float64Array(COUNT);
      const v = new Float64Array(COUNT);
      const opts = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
      const bp = upload(runtime, p);
      const bm = upload(runtime, m);
      const bv = upload(runtime, v);
      const bg = runtime.createBuffer(COUNT * 4);
      const hyper = runtime.createUniform(32);
      const kernel = runtime.kernel(def, { count: COUNT });
      for (let t = 1; t <= STEPS; t++) {
        const g = randomValues(rand, COUNT);
        runtime.write(bg, Float32Array.from(g));
        runtime.write(hyper, adamUniforms(opts, t));
        runtime.dispatch(kernel, { param: bp, grad: bg, m: bm, v: bv, hyper });
        cpu(p, g, m, v, t, opts);
      }
      expect(maxRelativeError(await runtime.readFloat32(bp), p)).toBeLessThan(TOL);
      expect(maxRelativeError(await runtime.readFloat32(bm), m)).toBeLessThan(TOL);
      expect(maxRelativeError(await runtime.readFloat32(bv), v)).toBeLessThan(TOL);
    });
  }
});
