import { describe, expect, it } from 'vitest';
import { cyxText, signedCyx } from './money';

describe('wallet amounts', () => {
  it('reads µCYX strings exactly, with the whole part grouped', () => {
    expect(cyxText('1250000000')).toBe('1,250 CYX');
    expect(cyxText('12500250000')).toBe('12,500.25 CYX');
    expect(cyxText('1')).toBe('0.000001 CYX');
    // Past float precision: 2^63-1 µCYX keeps every digit.
    expect(cyxText('9223372036854775807')).toBe('9,223,372,036,854.775807 CYX');
  });

  it('signs history changes', () => {
    expect(signedCyx('250000000')).toBe('+250 CYX');
    expect(signedCyx('-100000000000')).toBe('−100,000 CYX');
    expect(signedCyx('0')).toBe('0 CYX');
  });
});
