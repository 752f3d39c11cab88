import { describe, expect, it } from 'vitest';
import { activate } from '../cpu/activations';
import { biasAdd } from '../cpu/bias';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { matmul } from '../cpu/matmul';
import { scratch, upload, useTestGpu } from '../gpu/test-gpu';
import { blockShape, matmulBlocked } from './matmul-blocked';
import type { MatmulParams } from './matmul-params';

/**
 * The blocked matmul switches to larger register blocks (up to 16×8) for big products; matmul.test.ts
 * covers the 4×4 block on small shapes, this file the large blocks, with ragged edges in every
 * dimension (m % 16, n % 8, k % 4 all non-zero) and both vec4 and scalar-bound operands.
 */
const gpu = useTestGpu();
const rand = seededRandom(21);

async function check(p: MatmulParams): Promise<number> {
  const { runtime } = gpu();
  const a = randomValues(rand, p.m * p.k);
  const b = randomValues(rand, p.k * p.n);
  const bias = randomValues(rand, p.n);
  const out = scratch(runtime, p.m * p.n);
  runtime.dispatch(runtime.kernel(matmulBlocked, p), { a: upload(runtime, a), b: upload(runtime, b), ...(p.bias ? { bias: upload(runtime, bias) } : {}), c: out });
  const got = await runtime.readFloat32(out, p.m * p.n);
  let want = matmul(a, b, p);
  if (p.bias) want = biasAdd(want, bias, p.m, p.n);
  want = activate(p.activation ?? 'none', want, p.alpha);
  return maxRelativeError(got, want);
}

describe('matmul.blocked-4x4 with large register blocks', () => {
  it('picks 16x8 blocks for large products and 4x4 for small ones', () => {
    expect(blockShape({ m: 128, k: 784, n: 256 })).toEqual({ rows: 16, cols4: 2 });
    expect(blockShape({ m: 16, k: 16, n: 16 })).toEqual({ rows: 4, cols4: 1 });
  });

  const ragged = { m: 70, k: 301, n: 103 };
  const forms: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
  for (const [transA, transB] of forms) {
    it(`ragged ${ragged.m}x${ragged.k}x${ragged.n} transA=${transA} transB=${transB}`, async () => {
      expect(blockShape({ ...ragged, transA, transB }).rows).toBe(16);
      expect(await check({ ...ragged, transA, transB })).toBeLessThan(1e-4);
    });
  }

  it('vec4-bound operands with a fused bias + relu epilogue (n % 8 = 4)', async () => {
    expect(await check({ m: 68, k: 260, n: 124, bias: true, activation: 'relu' })).toBeLessThan(1e-4);
  });

  it('scalar-bound operands with a fused bias + tanh epilogue', async () => {
    expect(await check({ m: 41, k: 389, n: 150, bias: true, activation: 'tanh', transB: true })).toBeLessThan(1e-4);
  });
});
