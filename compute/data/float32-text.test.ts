import { describe, expect, it } from 'vitest';
import { shortestFloat32 } from './float32-text';

describe('shortestFloat32', () => {
  it('prints a float32 as the decimal it was read from', () => {
    expect(Math.fround(14.23)).not.toBe(14.23);
    expect(shortestFloat32(Math.fround(14.23))).toBe(14.23);
    expect(shortestFloat32(Math.fround(0.1))).toBe(0.1);
    expect(shortestFloat32(Math.fround(-3.0001))).toBe(-3.0001);
    expect(shortestFloat32(Math.fround(1e-7))).toBe(1e-7);
  });

  it('keeps whole numbers and values that need every digit', () => {
    expect(shortestFloat32(16)).toBe(16);
    const third = Math.fround(1 / 3);
    expect(Math.fround(shortestFloat32(third))).toBe(third);
    expect(String(shortestFloat32(third)).length).toBeLessThanOrEqual(11);
  });
});
