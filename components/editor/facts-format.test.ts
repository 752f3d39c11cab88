import { describe, expect, it } from 'vitest';
import { compactCount } from './facts-format';

describe('model facts formatting', () => {
  it('compacts counts to three figures', () => {
    expect(compactCount(67)).toBe('67');
    expect(compactCount(12_500)).toBe('12.5 k');
    expect(compactCount(1_240_000)).toBe('1.24 M');
    expect(compactCount(3_000_000_000)).toBe('3 G');
  });

});
