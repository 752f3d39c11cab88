import { describe, expect, it } from 'vitest';
import { lossFailures, median, percentile } from './bench-runs';

describe('median', () => {
  it('takes the middle of an odd count regardless of order', () => {
    expect(median([4231, 1628, 2083])).toBe(2083);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([1, 10, 3, 4])).toBe(3.5);
  });

  it('refuses an empty list', () => {
    expect(() => median([])).toThrow('median of no values');
  });
});

describe('lossFailures', () => {
  it('passes runs whose loss fell', () => {
    expect(lossFailures([{ contender: 'a', firstLoss: 2.9, lastLoss: 2.1 }])).toEqual([]);
  });

  it('names every run whose loss rose, stayed flat or is not finite', () => {
    const failures = lossFailures([
      { contender: 'rose', firstLoss: 2.1, lastLoss: 2.2 },
      { contender: 'flat', firstLoss: 2.3, lastLoss: 2.3 },
      { contender: 'nan', firstLoss: 2.3, lastLoss: Number.NaN },
      { contender: 'fell', firstLoss: 2.3, lastLoss: 1.0 },
    ]);
    expect(failures).toEqual(['rose: loss 2.1 -> 2.2', 'flat: loss 2.3 -> 2.3', 'nan: loss 2.3 -> NaN']);
  });
});

describe('percentile', () => {
  it('takes the nearest rank of sorted values, NaN for none', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(51);
    expect(percentile(values, 99)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
