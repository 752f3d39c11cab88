import { describe, expect, it } from 'vitest';
import { maxRelativeError, randomValues, seededRandom } from '../../cpu/gradcheck';
import { matmul, matmulBackward } from '../../cpu/matmul';
import { matmulNN, matmulNT, matmulTN } from './dense-kernels';

describe('dense kernels', () => {
  it('match the compute/cpu reference matmul and its backward', () => {
    const rand = seededRandom(5);
    const [m, k, n] = [7, 5, 3];
    const x = randomValues(rand, m * k);
    const w = randomValues(rand, k * n);
    const dy = randomValues(rand, m * n);
    // Exact zeros exercise the skip in the inner loop.
    x[3] = 0;
    const ref = matmulBackward(x, w, dy, { m, k, n });
    expect(maxRelativeError(matmulNN(x, w, m, k, n), matmul(x, w, { m, k, n }))).toBeLessThan(1e-12);
    expect(maxRelativeError(matmulNT(dy, w, m, n, k), ref.dA)).toBeLessThan(1e-12);
    expect(maxRelativeError(matmulTN(x, dy, m, k, n), ref.dB)).toBeLessThan(1e-12);
  });
});
