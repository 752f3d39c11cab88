import { describe, expect, it } from 'vitest';
import { EvalError } from './eval-error';
import { regressionMetrics } from './regression-metrics';

describe('regressionMetrics', () => {
  it('gives MSE, MAE and R² as worked out by hand', () => {
    // errors -0.5, 0.5, 0, 1 -> MSE (.25+.25+0+1)/4 = .375, MAE 2/4 = .5
    // target mean 11.5/4 = 2.875; total sum of squares .125² + 3.375² + .875² + 4.125² = 29.1875
    // R² = 1 - 1.5/29.1875
    const m = regressionMetrics([2.5, 0, 2, 8], [3, -0.5, 2, 7]);
    expect(m.samples).toBe(4);
    expect(m.mse).toBeCloseTo(0.375, 12);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.r2).toBeCloseTo(1 - 1.5 / 29.1875, 12);
  });

  it('averages R² over output columns', () => {
    // column 0: targets .5 -1 7 (SS_tot 108.5/3), residuals .5 0 1 (SS_res 1.25)
    // column 1: targets 1 1 -6 (SS_tot 98/3), residuals 1 1 1 (SS_res 3)
    const m = regressionMetrics([0, 2, -1, 2, 8, -5], [0.5, 1, -1, 1, 7, -6], 2);
    const r0 = 1 - 1.25 / (108.5 / 3);
    const r1 = 1 - 3 / (98 / 3);
    expect(m.r2PerOutput[0]).toBeCloseTo(r0, 12);
    expect(m.r2PerOutput[1]).toBeCloseTo(r1, 12);
    expect(m.r2).toBeCloseTo((r0 + r1) / 2, 12);
    expect(m.mse).toBeCloseTo((0.25 + 1 + 0 + 1 + 1 + 1) / 6, 12);
  });

  it('has no R² for constant targets, and no errors for no examples', () => {
    const m = regressionMetrics([1, 2, 3], [2, 2, 2]);
    expect(m.r2).toBeNull();
    expect(m.mse).toBeCloseTo(2 / 3, 12);
    const empty = regressionMetrics([], []);
    expect([empty.mse, empty.mae, empty.r2]).toEqual([null, null, null]);
  });

  it('refuses mismatched lengths and non-finite predictions with codes', () => {
    expect(() => regressionMetrics([1], [1, 2])).toThrow(EvalError);
    expect(() => regressionMetrics([1, 2], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
    expect(() => regressionMetrics([1, Number.NaN], [1, 2])).toThrow(expect.objectContaining({ code: 'EVAL_NON_FINITE_OUTPUT', row: 1 }));
  });
});
