import { describe, expect, it } from 'vitest';
import { alignSeries, buildChartData, canShowEpochs, clampSmoothing, formatLogTick, formatNumber, formatX, inferStepsPerEpoch, logSafe, readoutAt, readoutText, smoothEma, stepToX, tableRows } from './chart-data';

describe('smoothEma (TensorBoard smoothing)', () => {
  it('is the debiased exponential moving average', () => {
    const w = 0.6;
    const out = smoothEma([1, 3, 2], w);
    // By hand: last = 0.4, 0.4*0.6 + 0.4*3 = 1.44, 1.44*0.6 + 0.4*2 = 1.664; debias by 1 - 0.6^n.
    expect(out[0]).toBeCloseTo(0.4 / (1 - 0.6), 12);
    expect(out[1]).toBeCloseTo(1.44 / (1 - 0.36), 12);
    expect(out[2]).toBeCloseTo(1.664 / (1 - 0.216), 12);
    // Debiasing keeps the first value as it is (no pull towards 0).
    expect(out[0]).toBeCloseTo(1, 12);
  });

  it('leaves the values alone at 0 and for a constant series', () => {
    expect(smoothEma([3, 1, 2], 0)).toEqual([3, 1, 2]);
    expect(smoothEma([0.5, 0.5, 0.5], 0.9)).toEqual([0.5, 0.5, 0.5]);
  });

  it('passes gaps and non-finite values through without advancing the average', () => {
    const out = smoothEma([2, null, Number.NaN, 4, undefined], 0.5);
    expect(out[0]).toBeCloseTo(2, 12);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNaN();
    // Second real value: last = 0.5*1 + 0.5*4 = 2.5 over 1 - 0.25.
    expect(out[3]).toBeCloseTo(2.5 / 0.75, 12);
    expect(out[4]).toBeUndefined();
  });

  it('smooths a noisy series towards its trend, more with a heavier weight', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5));
    const spread = (xs: readonly (number | null | undefined)[]) => {
      const tail = xs.slice(100) as number[];
      return Math.max(...tail) - Math.min(...tail);
    };
    expect(spread(noisy)).toBeCloseTo(1, 12);
    expect(spread(smoothEma(noisy, 0.6))).toBeLessThan(0.5);
    expect(spread(smoothEma(noisy, 0.95))).toBeLessThan(spread(smoothEma(noisy, 0.6)));
  });

  it('clamps the slider weight to 0..0.99', () => {
    expect(clampSmoothing(-1)).toBe(0);
    expect(clampSmoothing(Number.NaN)).toBe(0);
    expect(clampSmoothing(1)).toBe(0.99);
    expect(clampSmoothing(0.42)).toBe(0.42);
    // At the cap the average still moves (weight 1 would freeze it at the first value forever).
    const out = smoothEma([1, 2, 3, 4], 5) as number[];
    expect(out[3]).toBeGreaterThan(out[0]!);
  });
});

describe('logSafe', () => {
  it('turns values not above zero into gaps and counts them', () => {
    expect(logSafe([1, 0, -2, 0.5, undefined, null, Number.POSITIVE_INFINITY])).toEqual({ values: [1, null, null, 0.5, undefined, null, null], dropped: 3 });
  });
});

describe('step <-> epoch', () => {
  it('maps steps to fractional epochs; an epoch ends on its whole number', () => {
    expect(stepToX(15, 'step', 10)).toBe(15);
    expect(stepToX(15, 'epoch', 10)).toBe(1.5);
    expect(stepToX(30, 'epoch', 10)).toBe(3);
    // 7 steps per epoch: 21/7 is exactly 3, 10/7 is rounded, not 1.4285714285714286.
    expect(stepToX(21, 'epoch', 7)).toBe(3);
    expect(stepToX(10, 'epoch', 7)).toBe(1.428571);
    expect(() => stepToX(3, 'epoch', null)).toThrow(/steps per epoch/);
  });

  it('infers the steps per epoch from per-epoch points', () => {
    expect(inferStepsPerEpoch([{ epoch: 0, step: 12 }, { epoch: 1, step: 24 }, { epoch: 2, step: 36 }])).toBe(12);
    expect(inferStepsPerEpoch([])).toBeNull();
    expect(inferStepsPerEpoch([{ epoch: 0, step: 0 }])).toBeNull();
  });

  it('offers epochs only when every series can say its epoch length', () => {
    expect(canShowEpochs([{ points: [] }], 10)).toBe(true);
    expect(canShowEpochs([{ points: [] }], null)).toBe(false);
    expect(canShowEpochs([{ points: [], stepsPerEpoch: 5 }, { points: [] }], null)).toBe(false);
    expect(canShowEpochs([{ points: [], stepsPerEpoch: 5 }, { points: [], stepsPerEpoch: 8 }], null)).toBe(true);
    expect(canShowEpochs([{ points: [], stepsPerEpoch: 0 }], null)).toBe(false);
  });
});

describe('alignSeries', () => {
  it('puts every series on the sorted union of x values, undefined where a series has no point', () => {
    const train = [[3, 0.9], [1, 1.2], [2, 1.0], [4, 0.8]] as const;
    const validation = [[2, 1.1], [4, 0.85]] as const;
    expect(alignSeries([train, validation])).toEqual([
      [1, 2, 3, 4],
      [1.2, 1.0, 0.9, 0.8],
      [undefined, 1.1, undefined, 0.85],
    ]);
  });

  it('keeps the last value of a repeated x, and marks non-finite values as null gaps', () => {
    expect(alignSeries([[[1, 5], [1, 6], [2, Number.NaN]]])).toEqual([[1, 2], [6, null]]);
  });

  it('aligns runs of different lengths (run comparison)', () => {
    const a = [[1, 0.5], [2, 0.7], [3, 0.8]] as const;
    const b = [[1, 0.4], [2, 0.6]] as const;
    const c = [[1, 0.6], [2, 0.7], [3, 0.75], [4, 0.9], [5, 0.92]] as const;
    const [xs, ...ys] = alignSeries([a, b, c]);
    expect(xs).toEqual([1, 2, 3, 4, 5]);
    expect(ys.map((column) => column.length)).toEqual([5, 5, 5]);
    expect(ys[1]).toEqual([0.4, 0.6, undefined, undefined, undefined]);
  });

  it('is empty for no points', () => {
    expect(alignSeries([[], []])).toEqual([[], [], []]);
  });
});

describe('buildChartData', () => {
  const train = { points: [[1, 2], [2, 1], [3, 0.5], [4, 0.25]] as const };
  const val = { points: [[2, 1.5], [4, 0] ] as const };

  it('draws raw values with no smoothing: smoothed copies equal them, raw copies empty', () => {
    const { data, scale } = buildChartData([train, val], { unit: 'step', stepsPerEpoch: 2, smoothing: 0, scale: 'linear' });
    expect(scale).toBe('linear');
    expect(data[0]).toEqual([1, 2, 3, 4]);
    expect(data[1]).toEqual([2, 1, 0.5, 0.25]);
    expect(data[2]).toEqual([undefined, 1.5, undefined, 0]);
    expect(data[3]).toEqual([undefined, undefined, undefined, undefined]);
    expect(data[4]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('smooths each series over its own points and keeps the raw ones beside it', () => {
    const { data } = buildChartData([train, val], { unit: 'step', stepsPerEpoch: 2, smoothing: 0.5, scale: 'linear' });
    const expected = smoothEma([1.5, 0], 0.5);
    // The validation series is smoothed over its two points, not over the train series' x values.
    expect(data[2]).toEqual([undefined, expected[0], undefined, expected[1]]);
    expect(data[3]).toEqual([2, 1, 0.5, 0.25]);
    expect(data[4]).toEqual([undefined, 1.5, undefined, 0]);
  });

  it('puts x in epochs, per run when runs compared differ in epoch length', () => {
    const runA = { points: [[10, 0.5], [20, 0.7]] as const, stepsPerEpoch: 10 };
    const runB = { points: [[4, 0.4], [8, 0.6], [12, 0.8]] as const, stepsPerEpoch: 4 };
    const { data } = buildChartData([runA, runB], { unit: 'epoch', stepsPerEpoch: null, smoothing: 0, scale: 'linear' });
    expect(data[0]).toEqual([1, 2, 3]);
    expect(data[1]).toEqual([0.5, 0.7, undefined]);
    expect(data[2]).toEqual([0.4, 0.6, 0.8]);
  });

  it('stays on steps when epochs cannot be worked out', () => {
    const { data } = buildChartData([train], { unit: 'epoch', stepsPerEpoch: null, smoothing: 0, scale: 'linear' });
    expect(data[0]).toEqual([1, 2, 3, 4]);
  });

  it('log scale: values not above zero are left out and counted', () => {
    const { data, scale, logDropped } = buildChartData([train, val], { unit: 'step', stepsPerEpoch: 2, smoothing: 0.3, scale: 'log' });
    expect(scale).toBe('log');
    // The measured 0 is counted; averaged with 1.5 the smoothed line stays above 0 and is drawn, the raw copy is not.
    expect(logDropped).toBe(1);
    expect(data[2]![3]).toBeGreaterThan(0);
    expect(data[4]).toEqual([undefined, 1.5, undefined, null]);
    const zero = buildChartData([train, val], { unit: 'step', stepsPerEpoch: 2, smoothing: 0, scale: 'log' });
    expect(zero.logDropped).toBe(1);
    expect(zero.data[2]).toEqual([undefined, 1.5, undefined, null]);
    expect(data[1]!.every((v) => v === undefined || (typeof v === 'number' && v > 0))).toBe(true);
  });

  it('log scale falls back to linear when nothing is above zero', () => {
    const flat = { points: [[1, 0], [2, -1]] as const };
    const out = buildChartData([flat], { unit: 'step', stepsPerEpoch: null, smoothing: 0, scale: 'log' });
    expect(out.scale).toBe('linear');
    expect(out.data[1]).toEqual([0, -1]);
  });
});

describe('tableRows', () => {
  it('lists every x with each series raw value, in the chosen unit', () => {
    const rows = tableRows([{ points: [[5, 1], [10, 0.5]] }, { points: [[10, 0.7]] }], 'epoch', 10);
    expect(rows).toEqual([
      { x: 0.5, values: [1, null] },
      { x: 1, values: [0.5, 0.7] },
    ]);
  });
});

describe('formatting', () => {
  it('formats values and x', () => {
    expect(formatNumber(123.4)).toBe('123');
    expect(formatNumber(2.3456)).toBe('2.35');
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.00012)).toBe('1.2e-4');
    expect(formatX(12, 'step')).toBe('12');
    expect(formatX(3, 'epoch')).toBe('3');
    expect(formatX(1.4285, 'epoch')).toBe('1.43');
  });
});

describe('readoutAt / readoutText (the hover read-out)', () => {
  // x 1..4; train at every x, validation at 2 and 4; smoothing on (raw copies filled).
  const data = buildChartData([{ points: [[1, 2], [2, 1], [3, 0.5], [4, 0.25]] }, { points: [[2, 1.5], [4, 0.75]] }], { unit: 'step', stepsPerEpoch: null, smoothing: 0.5, scale: 'linear' }).data;

  it('reads each series at its own nearest point under the pointer', () => {
    // uPlot's cursor: idx 2 (x 3); the validation series' nearest real point is idx 1 (x 2).
    const r = readoutAt(data, 2, { idx: 2, idxs: [2, 2, 1, 2, 1] });
    expect(r.x).toBe(3);
    expect(r.values[0]).toEqual({ value: data[1]![2], raw: 0.5 });
    expect(r.values[1]).toEqual({ value: data[2]![1], raw: 1.5 });
  });

  it('shows the latest values while nothing is hovered', () => {
    const r = readoutAt(data, 2, { idx: null, idxs: null });
    expect(r.x).toBe(4);
    expect(r.values.map((v) => v.raw)).toEqual([0.25, 0.75]);
  });

  it('says — where a series has nothing, and gives the raw value only while smoothing', () => {
    const empty = buildChartData([{ points: [] }], { unit: 'step', stepsPerEpoch: null, smoothing: 0, scale: 'linear' }).data;
    expect(readoutAt(empty, 1, { idx: null, idxs: null })).toEqual({ x: null, values: [{ value: null, raw: null }] });
    expect(readoutText({ value: null, raw: null }, 0.5, String)).toBe('—');
    expect(readoutText({ value: 0.5, raw: 0.25 }, 0.5, String)).toBe('0.5 (raw 0.25)');
    expect(readoutText({ value: 0.5, raw: 0.5 }, 0, String)).toBe('0.5');
  });
});

describe('formatLogTick', () => {
  it('writes log-scale ticks in their shortest form, with an exponent far from 1', () => {
    expect([1, 10, 100, 1000, 0.1, 0.01, 0.001, 2, 5, 50, 0.5, 0.02].map(formatLogTick)).toEqual(['1', '10', '100', '1000', '0.1', '0.01', '0.001', '2', '5', '50', '0.5', '0.02']);
    expect([1e4, 1e6, 2e-5, 1e-4, 0.0001].map(formatLogTick)).toEqual(['1e4', '1e6', '2e-5', '1e-4', '1e-4']);
    expect(formatLogTick(0.30000000000000004)).toBe('0.3');
    expect(formatLogTick(-10)).toBe('-10');
  });
});
