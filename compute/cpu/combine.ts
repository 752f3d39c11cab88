import { assertLength, at, type Values } from './types';

/** Element-wise sum of same-shaped tensors (a residual Add). Its backward passes dy to every input. */
export function add(inputs: readonly Values[]): Float64Array {
  const first = inputs[0];
  if (!first) throw new RangeError('add needs at least one input');
  const y = new Float64Array(first.length);
  inputs.forEach((t, k) => {
    assertLength(`input ${k}`, t, first.length);
    for (let i = 0; i < t.length; i++) y[i] = (y[i] as number) + at(t, i);
  });
  return y;
}

/**
 * Concatenation along one axis. Each tensor is viewed as [outer, sizes[k], inner]; for NHWC
 * channel concat, outer = batch·height·width, inner = 1 and sizes are the channel counts.
 */
export function concat(inputs: readonly Values[], sizes: readonly number[], outer: number, inner: number): Float64Array {
  if (inputs.length !== sizes.length) throw new RangeError('concat needs one axis size per input');
  const total = sizes.reduce((a, b) => a + b, 0);
  const y = new Float64Array(outer * total * inner);
  let offset = 0;
  inputs.forEach((t, k) => {
    const size = sizes[k] as number;
    assertLength(`input ${k}`, t, outer * size * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < size * inner; j++) y[(o * total + offset) * inner + j] = at(t, o * size * inner + j);
    }
    offset += size;
  });
  return y;
}

/** Splits dy of a concat back into one gradient per input. */
export function concatBackward(dy: Values, sizes: readonly number[], outer: number, inner: number): Float64Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  assertLength('dy', dy, outer * total * inner);
  let offset = 0;
  return sizes.map((size) => {
    const d = new Float64Array(outer * size * inner);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < size * inner; j++) d[o * size * inner + j] = at(dy, (o * total + offset) * inner + j);
    }
    offset += size;
    return d;
  });
}
