import { describe, expect, it } from 'vitest';
import { activate } from '../cpu/activations';
import { biasAdd } from '../cpu/bias';
import { conv2d, conv2dBackward, conv2dOutputShape, type Conv2DSpec } from '../cpu/conv2d';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { scratch, upload, useTestGpu } from '../gpu/test-gpu';
import { col2im, im2col, im2colShape } from './im2col';
import { matmulBlocked } from './matmul-blocked';
import type { MatmulParams } from './matmul-params';
import { matmulTiled } from './matmul-tiled';
import type { KernelDef } from './types';

const gpu = useTestGpu();
const rand = seededRandom(19);
const TOL = 1e-4;

const specs: Conv2DSpec[] = [
  { batch: 2, height: 7, width: 6, inChannels: 3, outChannels: 5, kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padding: 'same' },
  { batch: 1, height: 9, width: 8, inChannels: 2, outChannels: 4, kernelH: 3, kernelW: 2, strideH: 2, strideW: 3, padding: 'valid' },
  { batch: 3, height: 5, width: 5, inChannels: 4, outChannels: 3, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padding: 'same' },
];

/** Forward (im2col + matmul with fused bias/relu) and backward (two matmuls + col2im) in one submit. */
async function checkConv(s: Conv2DSpec, matmul: KernelDef<MatmulParams>): Promise<void> {
  const { runtime } = gpu();
  const { rows, cols: k } = im2colShape(s);
  const co = s.outChannels;
  const x = randomValues(rand, s.batch * s.height * s.width * s.inChannels);
  const w = randomValues(rand, k * co);
  const bias = randomValues(rand, co);
  const dy = randomValues(rand, conv2dOutputShape(s).reduce((a, b) => a * b));

  const bx = upload(runtime, x);
  const bw = upload(runtime, w);
  const bCols = scratch(runtime, rows * k);
  const by = scratch(runtime, rows * co);
  const bdy = upload(runtime, dy);
  const bdw = scratch(runtime, k * co);
  const bdCols = scratch(runtime, rows * k);
  const bdx = scratch(runtime, x.length);

  runtime.dispatch(runtime.kernel(im2col, s), { x: bx, cols: bCols });
  runtime.dispatch(runtime.kernel(matmul, { m: rows, k, n: co, bias: true, activation: 'relu' }), {
    a: bCols, b: bw, bias: upload(runtime, bias), c: by,
  });
  runtime.dispatch(runtime.kernel(matmul, { m: k, k: rows, n: co, transA: true }), { a: bCols, b: bdy, c: bdw });
  runtime.dispatch(runtime.kernel(matmul, { m: rows, k: co, n: k, transB: true }), { a: bdy, b: bw, c: bdCols });
  runtime.dispatch(runtime.kernel(col2im, s), { cols: bdCols, dx: bdx });

  const want = activate('relu', biasAdd(conv2d(x, w, s), bias, rows, co));
  const grads = conv2dBackward(x, w, dy, s);
  expect(maxRelativeError(await runtime.readFloat32(by), want)).toBeLessThan(TOL);
  expect(maxRelativeError(await runtime.readFloat32(bdw), grads.dWeights)).toBeLessThan(TOL);
  expect(maxRelativeError(await runtime.readFloat32(bdx), grads.dInput)).toBeLessThan(TOL);
}

describe('conv2d via im2col + matmul + col2im', () => {
  for (const s of specs) {
    it(`${s.kernelH}x${s.kernelW} stride ${s.strideH}x${s.strideW} ${s.padding}, blocked matmul`, async () => {
      await checkConv(s, matmulBlocked);
    });
  }

  it('same padding with the tiled matmul', async () => {
    await checkConv(specs[0] as Conv2DSpec, matmulTiled);
  });
});
