import { describe, expect, it } from 'vitest';
import { maxRelativeError, randomValues, seededRandom } from '../cpu/gradcheck';
import { avgPool2d, avgPool2dBackward, maxPool2d, maxPool2dBackward, pool2dOutputShape, type Pool2DSpec } from '../cpu/pool2d';
import { scratch, upload, useTestGpu } from '../gpu/test-gpu';
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from './pool';

const gpu = useTestGpu();
const rand = seededRandom(23);
const TOL = 1e-4;

const specs: Pool2DSpec[] = [
  { batch: 2, height: 6, width: 7, channels: 3, kernelH: 2, kernelW: 2, strideH: 2, strideW: 2, padding: 'valid' },
  { batch: 1, height: 7, width: 5, channels: 2, kernelH: 3, kernelW: 3, strideH: 2, strideW: 2, padding: 'same' },
  { batch: 2, height: 5, width: 5, channels: 1, kernelH: 3, kernelW: 2, strideH: 1, strideW: 1, padding: 'same' },
];

describe('pooling kernels', () => {
  for (const s of specs) {
    const label = `${s.kernelH}x${s.kernelW}/${s.strideH}x${s.strideW} ${s.padding}`;
    const outN = pool2dOutputShape(s).reduce((a, b) => a * b);
    const inN = s.batch * s.height * s.width * s.channels;

    it(`max pool ${label}, forward and backward`, async () => {
      const { runtime } = gpu();
      const x = randomValues(rand, inN);
      // Ties: the backward must pick the same (first) maximum as the CPU reference.
      x[1] = x[0] as number;
      const dy = randomValues(rand, outN);
      const bx = upload(runtime, x);
      const by = scratch(runtime, outN);
      const argmax = scratch(runtime, outN);
      const bdx = scratch(runtime, inN);
      runtime.dispatch(runtime.kernel(maxPoolForward, s), { x: bx, y: by, argmax });
      runtime.dispatch(runtime.kernel(maxPoolBackward, s), { dy: upload(runtime, dy), argmax, dx: bdx });
      expect(maxRelativeError(await runtime.readFloat32(by), maxPool2d(x, s))).toBeLessThan(TOL);
      expect(maxRelativeError(await runtime.readFloat32(bdx), maxPool2dBackward(x, dy, s))).toBeLessThan(TOL);
    });

    it(`avg pool ${label}, forward and backward`, async () => {
      const { runtime } = gpu();
      const x = randomValues(rand, inN);
      const dy = randomValues(rand, outN);
      const by = scratch(runtime, outN);
      const bdx = scratch(runtime, inN);
      runtime.dispatch(runtime.kernel(avgPoolForward, s), { x: upload(runtime, x), y: by });
      runtime.dispatch(runtime.kernel(avgPoolBackward, s), { dy: upload(runtime, dy), dx: bdx });
      expect(maxRelativeError(await runtime.readFloat32(by), avgPool2d(x, s))).toBeLessThan(TOL);
      expect(maxRelativeError(await runtime.readFloat32(bdx), avgPool2dBackward(dy, s))).toBeLessThan(TOL);
    });
  }
});
