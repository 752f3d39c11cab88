import { describe, expect, it } from 'vitest';
import { decisionBoundary, gridBounds, gridPoints } from './decision-grid';

describe('decision grid', () => {
  it('spans the points with a margin of a tenth of each range', () => {
    // x from -1 to 3 (span 4, margin .4); y from 0 to 10 (span 10, margin 1).
    expect(gridBounds([-1, 0, 3, 10, 1, 5])).toEqual({ xMin: -1.4, xMax: 3.4, yMin: -1, yMax: 11 });
    // A constant feature gets ±0.5.
    expect(gridBounds([2, 1, 2, 3])).toMatchObject({ xMin: 1.5, xMax: 2.5 });
  });

  it('lists cell centres row by row from the top', () => {
    // 2x2 cells over [0, 2] x [0, 2]: centres at 0.5 and 1.5; the top row is y = 1.5.
    expect(Array.from(gridPoints({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2))).toEqual([0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 1.5, 0.5]);
  });

  it('gives each cell its predicted class and that class probability', () => {
    // Logits per cell: [0, ln 3] -> class 1 at 3/4; [ln 4, 0] -> class 0 at 4/5; [0, 0] -> tie, class 0 at 1/2.
    const logits = [0, Math.log(3), Math.log(4), 0, 0, 0, 1, 0];
    const b = decisionBoundary({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2, logits, 2);
    expect(b.predicted).toEqual([1, 0, 0, 0]);
    expect(b.confidence[0]).toBeCloseTo(0.75, 12);
    expect(b.confidence[1]).toBeCloseTo(0.8, 12);
    expect(b.confidence[2]).toBe(0.5);
    expect(() => decisionBoundary({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 2, logits.slice(1), 2)).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
  });
});
