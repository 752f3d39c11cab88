import { describe, expect, it } from 'vitest';
import { MAX_TYPED_CYX, MICRO_PER_CYX, cyx, formatCyx, parseCyx } from './units';

describe('units', () => {
  it('converts whole CYX to µCYX', () => {
    expect(cyx(100)).toBe(100_000_000n);
    expect(cyx(3n)).toBe(3n * MICRO_PER_CYX);
    expect(() => cyx(1.5)).toThrow(RangeError);
  });

  it('formats micro-units exactly, dropping trailing zeros', () => {
    expect(formatCyx(1_500_000n)).toBe('1.5 CYX');
    expect(formatCyx(1n)).toBe('0.000001 CYX');
    expect(formatCyx(3_200_000n)).toBe('3.2 CYX');
    expect(formatCyx(0n)).toBe('0 CYX');
    expect(formatCyx(-2_000_000n)).toBe('-2 CYX');
    expect(formatCyx(cyx(100) - 1n)).toBe('99.999999 CYX');
  });

  it('parses typed CYX exactly, refusing zero unless allowed and anything over the cap', () => {
    expect(parseCyx(' 12.5 ')).toBe(12_500_000n);
    expect(parseCyx('0.000001')).toBe(1n);
    for (const bad of ['0', '-1', '1e3', '0.0000001', '', '1,5']) expect(parseCyx(bad), bad).toBeNull();
    expect(parseCyx('0', { allowZero: true })).toBe(0n);
    expect(parseCyx(String(MAX_TYPED_CYX))).toBe(MAX_TYPED_CYX * MICRO_PER_CYX);
    expect(parseCyx('2', { maxMicro: cyx(1) })).toBeNull();
  });
});
