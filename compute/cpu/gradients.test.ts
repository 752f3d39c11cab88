import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activate, activateBackward } from './activations';
import { batchNormBackward, batchNormForward } from './batchnorm';
import { biasAdd, biasGrad } from './bias';
import { add, concat, concatBackward } from './combine';
import { conv2d, conv2dBackward, conv2dOutputShape, type Conv2DSpec } from './conv2d';
import { dropout, dropoutBackward } from './dropout';
import { dot, maxRelativeError, numericGradient, randomValues, seededRandom } from './gradcheck';
import { meanSquaredError, softmaxCrossEntropy } from './losses';
import { matmul, matmulBackward, type MatmulShape } from './matmul';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, pool2dOutputShape, type Pool2DSpec } from './pool2d';
import { softmax, softmaxBackward } from './softmax';

// Every analytic backward is compared with central differences of its own forward, in float64.
// The scalar being differentiated is dot(forward(x), r) for a fixed random r, so the analytic
// gradient is backward(dy = r).
const TOL = 1e-6;
const rand = seededRandom(20240601);

function expectClose(analytic: ArrayLike<number>, numeric: ArrayLike<number>, tol = TOL): void {
  expect(analytic.length).toBe(numeric.length);
  expect(maxRelativeError(analytic, numeric)).toBeLessThan(tol);
}

describe('matmul backward', () => {
  const forms: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
  for (const [transA, transB] of forms) {
    it(`transA=${transA} transB=${transB}`, () => {
      const s: MatmulShape = { m: 3, k: 5, n: 4, transA, transB };
      const a = randomValues(rand, s.m * s.k);
      const b = randomValues(rand, s.k * s.n);
      const r = randomValues(rand, s.m * s.n);
      const { dA, dB } = matmulBackward(a, b, r, s);
      expectClose(dA, numericGradient((x) => dot(matmul(x, b, s), r), a));
      expectClose(dB, numericGradient((x) => dot(matmul(a, x, s), r), b));
    });
  }

  it('transposed storage multiplies the same logical matrices', () => {
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]], with A given transposed and B given transposed.
    const c = matmul([1, 3, 2, 4], [5, 7, 6, 8], { m: 2, k: 2, n: 2, transA: true, transB: true });
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });
});

describe('bias', () => {
  it('bias gradient is the column sum', () => {
    const x = randomValues(rand, 4 * 3);
    const bias = randomValues(rand, 3);
    const r = randomValues(rand, 12);
    expectClose(biasGrad(r, 4, 3), numericGradient((b) => dot(biasAdd(x, b, 4, 3), r), bias));
    expectClose(r, numericGradient((v) => dot(biasAdd(v, bias, 4, 3), r), x));
  });
});

describe('activations', () => {
  for (const kind of ACTIVATIONS) {
    it(`${kind} backward matches finite differences`, () => {
      // Keep inputs away from ReLU's kink at 0 where the derivative is undefined.
      const x = randomValues(rand, 40, -3, 3).map((v) => (Math.abs(v) < 1e-3 ? 0.5 : v));
      const r = randomValues(rand, 40);
      expectClose(activateBackward(kind, x, r, 0.2), numericGradient((v) => dot(activate(kind, v, 0.2), r), x));
    });
  }

  it('gelu uses the tanh approximation', () => {
    // 0.5·1·(1 + tanh(√(2/π)·(1 + 0.044715))) = 0.8411919906, the exact erf form gives 0.8413447461.
    expect(activate('gelu', [1])[0]).toBeCloseTo(0.8411919906, 9);
  });
});

describe('softmax and losses', () => {
  it('softmax backward', () => {
    const x = randomValues(rand, 3 * 5, -2, 2);
    const r = randomValues(rand, 15);
    const y = softmax(x, 3, 5);
    expectClose(softmaxBackward(y, r, 3, 5), numericGradient((v) => dot(softmax(v, 3, 5), r), x));
  });

  it('fused softmax cross-entropy gradient and value', () => {
    const logits = randomValues(rand, 4 * 6, -3, 3);
    const labels = [0, 5, 2, 2];
    const { grad, loss } = softmaxCrossEntropy(logits, labels, 4, 6);
    expectClose(grad, numericGradient((v) => softmaxCrossEntropy(v, labels, 4, 6).loss, logits));
    const p = softmax(logits, 4, 6);
    const expected = -labels.reduce((s, l, b) => s + Math.log(p[b * 6 + l] as number), 0) / 4;
    expect(loss).toBeCloseTo(expected, 12);
  });

  it('cross-entropy stays finite for huge logits', () => {
    const { loss, grad } = softmaxCrossEntropy([1000, -1000, 0], [1], 1, 3);
    expect(loss).toBeCloseTo(2000, 9);
    expect(Array.from(grad).every(Number.isFinite)).toBe(true);
  });

  it('rejects labels that are not class indices', () => {
    expect(() => softmaxCrossEntropy([0, 0], [2], 1, 2)).toThrow(/label 2 at row 0/);
  });

  it('mse gradient', () => {
    const p = randomValues(rand, 12);
    const t = randomValues(rand, 12);
    expectClose(meanSquaredError(p, t).grad, numericGradient((v) => meanSquaredError(v, t).loss, p));
  });
});

describe('conv2d', () => {
  const specs: Conv2DSpec[] = [
    { batch: 2, height: 5, width: 4, inChannels: 3, outChannels: 2, kernelH: 3, kernelW: 2, strideH: 1, strideW: 1, padding: 'valid' },
    { batch: 1, height: 6, width: 5, inChannels: 2, outChannels: 3, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padding: 'same' },
    { batch: 2, height: 4, width: 4, inChannels: 1, outChannels: 2, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, padding: 'same' },
  ];
  for (const s of specs) {
    it(`${s.kernelH}x${s.kernelW} stride ${s.strideH} ${s.padding}`, () => {
      const x = randomValues(rand, s.batch * s.height * s.width * s.inChannels);
      const w = randomValues(rand, s.kernelH * s.kernelW * s.inChannels * s.outChannels);
      const r = randomValues(rand, conv2dOutputShape(s).reduce((a, b) => a * b));
      const { dInput, dWeights } = conv2dBackward(x, w, r, s);
      expectClose(dInput, numericGradient((v) => dot(conv2d(v, w, s), r), x));
      expectClose(dWeights, numericGradient((v) => dot(conv2d(x, v, s), r), w));
    });
  }

  it("'same' keeps ceil(size/stride) and 'valid' shrinks", () => {
    const base = { batch: 1, height: 7, width: 7, inChannels: 1, outChannels: 1, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2 };
    expect(conv2dOutputShape({ ...base, padding: 'same' })).toEqual([1, 4, 4, 1]);
    expect(conv2dOutputShape({ ...base, padding: 'valid' })).toEqual([1, 3, 3, 1]);
  });

  it('computes a hand-checked 1-channel convolution', () => {
    // 3x3 image 1..9, 2x2 kernel of ones, valid: sums of each 2x2 window.
    const y = conv2d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 1, 1], {
      batch: 1, height: 3, width: 3, inChannels: 1, outChannels: 1, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, padding: 'valid',
    });
    expect(Array.from(y)).toEqual([12, 16, 24, 28]);
  });
});

describe('pooling', () => {
  const specs: Pool2DSpec[] = [
    { batch: 2, height: 4, width: 6, channels: 3, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padding: 'valid' },
    { batch: 1, height: 5, width: 5, channels: 2, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padding: 'same' },
    { batch: 1, height: 4, width: 4, channels: 1, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padding: 'valid' },
  ];
  for (const s of specs) {
    const outN = pool2dOutputShape(s).reduce((a, b) => a * b);
    const inN = s.batch * s.height * s.width * s.channels;
    it(`max ${s.kernelH}x${s.kernelW}/${s.strideH} ${s.padding}`, () => {
      const x = randomValues(rand, inN);
      const r = randomValues(rand, outN);
      expectClose(maxPool2dBackward(x, r, s), numericGradient((v) => dot(maxPool2d(v, s), r), x));
    });
    it(`avg ${s.kernelH}x${s.kernelW}/${s.strideH} ${s.padding}`, () => {
      const x = randomValues(rand, inN);
      const r = randomValues(rand, outN);
      expectClose(avgPool2dBackward(r, s), numericGradient((v) => dot(avgPool2d(v, s), r), x));
    });
  }

  it('average pooling ignores padding', () => {
    // 'same' 2x2/1 on a 2x2 image: the last row/column windows contain only real elements.
    const y = avgPool2d([1, 2, 3, 4], { batch: 1, height: 2, width: 2, channels: 1, kernelH: 2, kernelW: 2, strideH: 1, strideW: 1, padding: 'same' });
    expect(Array.from(y)).toEqual([2.5, 3, 3.5, 4]);
  });
});

describe('batch norm (training mode)', () => {
  it('backward through the batch statistics', () => {
    const rows = 6;
    const ch = 3;
    const x = randomValues(rand, rows * ch, -2, 2);
    const gamma = randomValues(rand, ch, 0.5, 1.5);
    const beta = randomValues(rand, ch);
    const r = randomValues(rand, rows * ch);
    const f = batchNormForward(x, gamma, beta, rows, ch);
    const g = batchNormBackward(x, gamma, r, f.mean, f.invStd, rows, ch);
    expectClose(g.dx, numericGradient((v) => dot(batchNormForward(v, gamma, beta, rows, ch).y, r), x), 1e-5);
    expectClose(g.dGamma, numericGradient((v) => dot(batchNormForward(x, v, beta, rows, ch).y, r), gamma));
    expectClose(g.dBeta, numericGradient((v) => dot(batchNormForward(x, gamma, v, rows, ch).y, r), beta));
  });

  it('normalises each channel to zero mean and unit variance', () => {
    const f = batchNormForward([1, 10, 3, 20, 5, 30], [1, 1], [0, 0], 3, 2);
    expect(f.mean[0]).toBeCloseTo(3, 12);
    expect(f.mean[1]).toBeCloseTo(20, 12);
    const col0 = [f.y[0], f.y[2], f.y[4]] as number[];
    expect(col0.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    expect(col0.reduce((a, b) => a + b * b, 0) / 3).toBeCloseTo(1, 4);
  });
});

describe('dropout, add, concat', () => {
  it('dropout scales kept elements and its backward matches', () => {
    const x = randomValues(rand, 10);
    const mask = Array.from({ length: 10 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const r = randomValues(rand, 10);
    expect(dropout([2, 2], [1, 0], 0.5)).toEqual(new Float64Array([4, 0]));
    expectClose(dropoutBackward(r, mask, 0.25), numericGradient((v) => dot(dropout(v, mask, 0.25), r), x));
  });

  it('add backward passes the gradient to each input', () => {
    const a = randomValues(rand, 6);
    const b = randomValues(rand, 6);
    const r = randomValues(rand, 6);
    expectClose(r, numericGradient((v) => dot(add([v, b]), r), a));
    expectClose(r, numericGradient((v) => dot(add([a, v]), r), b));
  });

  it('concat along channels and its backward split', () => {
    // Two NHWC tensors with 2 pixels: channels 1 and 2 → 3.
    expect(Array.from(concat([[1, 2], [3, 4, 5, 6]], [1, 2], 2, 1))).toEqual([1, 3, 4, 2, 5, 6]);
    const a = randomValues(rand, 2 * 2 * 3);
    const b = randomValues(rand, 2 * 1 * 3);
    const r = randomValues(rand, 2 * 3 * 3);
    const [da, db] = concatBackward(r, [2, 1], 2, 3);
    expectClose(da as Float64Array, numericGradient((v) => dot(concat([v, b], [2, 1], 2, 3), r), a));
    expectClose(db as Float64Array, numericGradient((v) => dot(concat([a, v], [2, 1], 2, 3), r), b));
  });
});
