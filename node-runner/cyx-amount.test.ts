import { describe, expect, it } from 'vitest';
import { cyxToMicro, formatCyx } from './cyx-amount';

describe('CYX amounts on the command line', () => {
  it('turns CYX per hour into whole µCYX without floating point', () => {
    expect(cyxToMicro('2')).toBe('2000000');
    expect(cyxToMicro('0.5')).toBe('500000');
    expect(cyxToMicro('1.000001')).toBe('1000001');
    expect(cyxToMicro('0.1')).toBe('100000');
    expect(cyxToMicro('0')).toBe('0');
  });

  it('refuses negatives, words, too many decimals and absurd prices with PRICE_INVALID', () => {
    for (const bad of ['-1', 'abc', '1.0000001', '', '1e3', '10000000']) {
      expect(() => cyxToMicro(bad), bad).toThrowError(expect.objectContaining({ code: 'PRICE_INVALID' }));
    }
  });

  it('prints µCYX as CYX', () => {
    expect(formatCyx('100000000')).toBe('100 CYX');
    expect(formatCyx('1500000')).toBe('1.5 CYX');
    expect(formatCyx('1')).toBe('0.000001 CYX');
  });
});
