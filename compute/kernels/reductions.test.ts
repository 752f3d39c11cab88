import { describe, expect, it } from 'vitest';
import { biasGrad } from '../cpu/bias';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { runKernel, useTestGpu } from '../gpu/test-gpu';
import { columnSumSerial, columnSumShared, sumSerial, sumShared } from './reductions';

const gpu = useTestGpu();
const rand = seededRandom(13);
const TOL = 1e-4;

for (const def of [columnSumSerial, columnSumShared]) {
  describe(`${def.name} (${def.variant})`, () => {
    for (const [rows, cols] of [[37, 29], [1, 5], [130, 16]] as const) {
      it(`bias gradient of a ${rows}x${cols} matrix`, async () => {
        const x = randomValues(rand, rows * cols);
        const out = await runKernel(gpu().runtime, def, { rows, cols }, { x }, { y: cols });
        expect(maxRelativeError(out['y'] as Float32Array, biasGrad(x, rows, cols))).toBeLessThan(TOL);
      });
    }
  });
}

for (const def of [sumSerial, sumShared]) {
  describe(`${def.name} (${def.variant})`, () => {
    for (const count of [1, 300, 1027]) {
      it(`scaled sum of ${count} values`, async () => {
        const x = randomValues(rand, count);
        const out = await runKernel(gpu().runtime, def, { count, scale: 0.5 }, { x }, { y: 1 });
        const want = 0.5 * x.reduce((s, v) => s + v, 0);
        expect(maxRelativeError(out['y'] as Float32Array, [want])).toBeLessThan(TOL);
      });
    }
  });
}
