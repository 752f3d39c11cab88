import { describe, expect, it } from 'vitest';
import { activate, type Activation } from '../cpu/activations';
import { biasAdd } from '../cpu/bias';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { matmul } from '../cpu/matmul';
import { scratch, upload, useTestGpu } from '../gpu/test-gpu';
import { matmulBlocked } from './matmul-blocked';
import type { MatmulParams } from './matmul-params';
import { matmulTiled } from './matmul-tiled';
import type { KernelDef } from './types';

const gpu = useTestGpu();
const rand = seededRandom(7);
const TOL = 1e-4;

async function runMatmul(def: KernelDef<MatmulParams>, p: MatmulParams) {
  const { runtime } = gpu();
  const a = randomValues(rand, p.m * p.k);
  const b = randomValues(rand, p.k * p.n);
  const bias = randomValues(rand, p.n);
  const kernel = runtime.kernel(def, p);
  const out = scratch(runtime, p.m * p.n);
  runtime.dispatch(kernel, {
    a: upload(runtime, a),
    b: upload(runtime, b),
    ...(p.bias ? { bias: upload(runtime, bias) } : {}),
    c: out,
  });
  const got = await runtime.readFloat32(out, p.m * p.n);
  let want = matmul(a, b, p);
  if (p.bias) want = biasAdd(want, bias, p.m, p.n);
  want = activate(p.activation ?? 'none', want, p.alpha);
  return { got, want };
}

// Odd sizes exercise every edge path (partial tiles, K remainders, unaligned vec4 fallbacks);
// multiples of 4 exercise the vec4-bound paths.
const shapes = [
  { m: 37, k: 53, n: 29 },
  { m: 64, k: 32, n: 48 },
  { m: 1, k: 7, n: 3 },
  { m: 70, k: 67, n: 66 },
];
const forms: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe(`${matmulBlocked.name} (cpu-friendly)`, () => {
  for (const shape of shapes) {
    for (const [transA, transB] of forms) {
      it(`${shape.m}x${shape.k}x${shape.n} transA=${transA} transB=${transB}`, async () => {
        const { got, want } = await runMatmul(matmulBlocked, { ...shape, transA, transB });
        expect(maxRelativeError(got, want)).toBeLessThan(TOL);
      });
    }
  }

  const epilogues: [Activation, number | undefined][] = [['relu', undefined], ['leaky_relu', 0.1], ['sigmoid', undefined], ['tanh', undefined], ['gelu', undefined]];
  for (const [activation, alpha] of epilogues) {
    for (const n of [29, 32]) {
      it(`fused bias + ${activation} epilogue (n=${n})`, async () => {
        const { got, want } = await runMatmul(matmulBlocked, { m: 21, k: 19, n, bias: true, activation, alpha });
        expect(maxRelativeError(got, want)).toBeLessThan(TOL);
      });
    }
  }
});

// SwiftShader takes 1-2 s to compile each barrier-using shader, so the tiled kernel gets a smaller
// matrix: every transpose form at an odd size (partial tiles in m, n and k), one size spanning
// several tiles, and the fused epilogue on both. The code paths are the same for every activation.
describe(`${matmulTiled.name} (tiled-shared)`, () => {
  for (const [transA, transB] of forms) {
    it(`37x53x29 transA=${transA} transB=${transB}`, async () => {
      const { got, want } = await runMatmul(matmulTiled, { m: 37, k: 53, n: 29, transA, transB });
      expect(maxRelativeError(got, want)).toBeLessThan(TOL);
    });
  }

  it('multi-tile 70x67x131 with fused bias + gelu', async () => {
    const { got, want } = await runMatmul(matmulTiled, { m: 70, k: 67, n: 131, bias: true, activation: 'gelu' });
    expect(maxRelativeError(got, want)).toBeLessThan(TOL);
  });

  it('transposed B with fused bias + leaky_relu', async () => {
    const { got, want } = await runMatmul(matmulTiled, { m: 33, k: 40, n: 24, transB: true, bias: true, activation: 'leaky_relu', alpha: 0.2 });
    expect(maxRelativeError(got, want)).toBeLessThan(TOL);
  });
});
