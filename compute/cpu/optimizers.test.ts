import { describe, expect, it } from 'vitest';
import { adamStep, adamWStep, sgdStep } from './optimizers';

describe('optimizers (PyTorch conventions)', () => {
  it('SGD with momentum and weight decay, two steps by hand', () => {
    const p = [1, -2];
    const v = [0, 0];
    sgdStep(p, [0.5, 0.5], v, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
    // g = 0.5 + 0.1·p → [0.6, 0.3]; v = g; p = p − 0.1·v
    expect(v[0]).toBeCloseTo(0.6, 12);
    expect(p[0]).toBeCloseTo(0.94, 12);
    expect(p[1]).toBeCloseTo(-2.03, 12);
    sgdStep(p, [0.5, 0.5], v, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 });
    // v = 0.9·0.6 + 0.5 + 0.094 = 1.134; p = 0.94 − 0.1134
    expect(v[0]).toBeCloseTo(1.134, 12);
    expect(p[0]).toBeCloseTo(0.8266, 12);
  });

  it('Adam first step moves each weight by about lr·sign(g)', () => {
    const p = [1, 1, 1];
    const m = [0, 0, 0];
    const v = [0, 0, 0];
    adamStep(p, [3, -0.02, 0], m, v, 1, { lr: 0.01 });
    expect(p[0]).toBeCloseTo(0.99, 6);
    expect(p[1]).toBeCloseTo(1.01, 6);
    expect(p[2]).toBe(1);
    expect(m[0]).toBeCloseTo(0.3, 12);
    expect(v[0]).toBeCloseTo(0.009, 12);
  });

  it('Adam second step uses bias-corrected moments', () => {
    const p = [0];
    const m = [0];
    const v = [0];
    adamStep(p, [1], m, v, 1, { lr: 0.1 });
    adamStep(p, [-1], m, v, 2, { lr: 0.1 });
    // m2 = 0.9·0.1 − 0.1 = −0.01, v2 = 0.999·0.001 + 0.001 = 0.001999
    const mhat = -0.01 / (1 - 0.81);
    const vhat = 0.001999 / (1 - 0.999 ** 2);
    const first = -0.1 / (1 + 1e-8);
    expect(p[0]).toBeCloseTo(first - (0.1 * mhat) / (Math.sqrt(vhat) + 1e-8), 10);
  });

  it('AdamW decays weights directly; Adam folds decay into the gradient', () => {
    const pw = [2];
    adamWStep(pw, [0], [0], [0], 1, { lr: 0.1, weightDecay: 0.5 });
    expect(pw[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 12); // gradient 0 → only the decay moves it
    const pa = [2];
    adamStep(pa, [0], [0], [0], 1, { lr: 0.1, weightDecay: 0.5 });
    expect(pa[0]).toBeCloseTo(2 - 0.1, 6); // L2 gradient 1.0 → Adam's normalised step lr
  });

  it('rejects a step count below 1', () => {
    expect(() => adamStep([0], [0], [0], [0], 0, { lr: 0.1 })).toThrow(/step must be an integer >= 1/);
  });
});
