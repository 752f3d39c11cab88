import { assertLength, at, type Values } from './types';

/**
 * Inverted dropout with a given keep mask (1 = keep, 0 = drop): y = x·mask/(1−rate).
 * The mask is an input, not drawn here, so forward and backward (and GPU and CPU) agree exactly.
 */
export function dropout(x: Values, mask: Values, rate: number): Float64Array {
  return dropoutBackward(x, mask, rate);
}

/** dx = dy·mask/(1−rate): the same scaling as the forward pass. */
export function dropoutBackward(dy: Values, mask: Values, rate: number): Float64Array {
  assertLength('mask', mask, dy.length);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  const scale = 1 / (1 - rate);
  const out = new Float64Array(dy.length);
  for (let i = 0; i < dy.length; i++) out[i] = at(dy, i) * at(mask, i) * scale;
  return out;
}
