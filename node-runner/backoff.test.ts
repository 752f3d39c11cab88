import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

describe('backoffDelayMs', () => {
  it('waits 1, 2, 4, 8, 16 s after the first five failures in a row, then every 30 s', () => {
    expect(Array.from({ length: 8 }, (_, i) => backoffDelayMs(i + 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(backoffDelayMs(10_000)).toBe(30_000);
  });

  it('refuses a count that is not a positive whole number', () => {
    expect(() => backoffDelayMs(0)).toThrow(RangeError);
    expect(() => backoffDelayMs(1.5)).toThrow(RangeError);
  });
});
