import { describe, expect, it } from 'vitest';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { meanSquaredError as cpuMse, softmaxCrossEntropy as cpuSoftmaxCe } from '../cpu/losses';
import { softmax as cpuSoftmax } from '../cpu/softmax';
import { runKernel, useTestGpu } from '../gpu/test-gpu';
import { meanSquaredError, softmaxCrossEntropy, softmaxForward } from './softmax';

const gpu = useTestGpu();
const rand = seededRandom(17);
const TOL = 1e-4;
const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('softmax and losses', () => {
  it('row softmax', async () => {
    const x = randomValues(rand, 9 * 11, -20, 20);
    const out = await runKernel(gpu().runtime, softmaxForward, { rows: 9, cols: 11 }, { x }, { y: 99 });
    expect(maxRelativeError(out['y'] as Float32Array, cpuSoftmax(x, 9, 11))).toBeLessThan(TOL);
  });

  it('fused softmax cross-entropy: gradient and mean loss', async () => {
    const batch = 37;
    const classes = 10;
    const logits = randomValues(rand, batch * classes, -8, 8);
    logits[0] = 80; // large logits must stay finite
    const labels = Uint32Array.from({ length: batch }, () => Math.floor(rand() * classes));
    const out = await runKernel(gpu().runtime, softmaxCrossEntropy, { batch, classes }, { logits, labels }, { grad: batch * classes, rowLoss: batch });
    const want = cpuSoftmaxCe(logits, labels, batch, classes);
    expect(maxRelativeError(out['grad'] as Float32Array, want.grad)).toBeLessThan(TOL);
    expect(maxRelativeError([sum(out['rowLoss'] as Float32Array)], [want.loss])).toBeLessThan(TOL);
  });

  it('mean squared error: gradient and mean loss', async () => {
    const prediction = randomValues(rand, 23 * 3);
    const target = randomValues(rand, 23 * 3);
    const out = await runKernel(gpu().runtime, meanSquaredError, { rows: 23, cols: 3 }, { prediction, expected: target }, { grad: 69, rowLoss: 23 });
    const want = cpuMse(prediction, target);
    expect(maxRelativeError(out['grad'] as Float32Array, want.grad)).toBeLessThan(TOL);
    expect(maxRelativeError([sum(out['rowLoss'] as Float32Array)], [want.loss])).toBeLessThan(TOL);
  });
});
