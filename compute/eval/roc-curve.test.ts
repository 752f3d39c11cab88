import { describe, expect, it } from 'vitest';
import { rocCurve } from './roc-curve';
import { rocReport } from './one-vs-rest';

/** Reference AUC by the rank-sum (Mann-Whitney U) formula with mid-ranks for ties: independent of the curve. */
function rankAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && order[j]!.s === order[i]!.s) j++;
    for (let k = i; k < j; k++) ranks[order[k]!.i] = (i + 1 + j) / 2;
    i = j;
  }
  const p = positive.filter(Boolean).length;
  const n = positive.length - p;
  const rankSum = ranks.reduce((s, r, i) => s + (positive[i] ? r : 0), 0);
  return (rankSum - (p * (p + 1)) / 2) / (p * n);
}

describe('rocCurve', () => {
  // 10 examples, 5 positive. Ascending ranks: .1(1) .2(2) .3(3) .35(4) .4(5) .5(6) .6(7) .7(8) .8(9) .9(10).
  // Positives .35 .5 .7 .8 .9 have ranks 4+6+8+9+10 = 37, so AUC = (37 - 5·6/2) / (5·5) = 22/25 = 0.88.
  const scores = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.9, 0.6, 0.5, 0.3];
  const positive = [0, 0, 1, 1, 1, 0, 1, 0, 1, 0].map(Boolean);

  it('gives the rank-formula AUC of a 10-example binary problem', () => {
    const roc = rocCurve(scores, positive);
    expect(roc.auc).toBeCloseTo(0.88, 12);
    expect(rankAuc(scores, positive)).toBeCloseTo(0.88, 12);
    expect([roc.positives, roc.negatives]).toEqual([5, 5]);
  });

  it('keeps only the corners of the curve, with their thresholds', () => {
    // Descending: .9P .8P .7P .6N .5P .4N .35P .3N .2N .1N -> (fp, tp) (0,0) (0,1) (0,2) (0,3) (1,3) (1,4)
    // (2,4) (2,5) (3,5) (4,5) (5,5); the points on straight runs, (0,1) (0,2) (3,5) (4,5), go.
    const roc = rocCurve(scores, positive);
    expect(roc.points).toEqual([
      { fpr: 0, tpr: 0, threshold: null },
      { fpr: 0, tpr: 0.6, threshold: 0.7 },
      { fpr: 0.2, tpr: 0.6, threshold: 0.6 },
      { fpr: 0.2, tpr: 0.8, threshold: 0.5 },
      { fpr: 0.4, tpr: 0.8, threshold: 0.4 },
      { fpr: 0.4, tpr: 1, threshold: 0.35 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
  });

  it('takes tied scores as one step, giving a tied positive/negative pair half credit', () => {
    // Scores .9P .5P .5N .1N: pairs won 2 (.9) + 1 (.5P over .1N) + 0.5 (.5P vs .5N) = 3.5 of 4.
    const roc = rocCurve([0.9, 0.5, 0.5, 0.1], [true, true, false, false]);
    expect(roc.auc).toBeCloseTo(0.875, 12);
    expect(roc.points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    // All scores equal: one diagonal from (0, 0) to (1, 1), AUC 1/2.
    const flat = rocCurve([0.5, 0.5, 0.5, 0.5], [true, false, true, false]);
    expect(flat.auc).toBe(0.5);
    expect(flat.points.map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('matches the rank formula on many examples with many ties', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const s: number[] = [];
    const pos: boolean[] = [];
    for (let i = 0; i < 500; i++) {
      const isPositive = next() < 0.4;
      pos.push(isPositive);
      // Rounded to one decimal, so most scores tie with others of both classes.
      s.push(Math.round((next() + (isPositive ? 0.3 : 0)) * 10) / 10);
    }
    const roc = rocCurve(s, pos);
    expect(roc.auc).toBeCloseTo(rankAuc(s, pos), 12);
    expect(roc.auc!).toBeGreaterThan(0.5);
    expect(roc.points[0]).toEqual({ fpr: 0, tpr: 0, threshold: null });
    expect(roc.points.at(-1)).toMatchObject({ fpr: 1, tpr: 1 });
  });

  it('has no AUC when only one class is present', () => {
    expect(rocCurve([0.2, 0.9], [true, true])).toEqual({ points: [], auc: null, positives: 2, negatives: 0 });
    expect(rocCurve([0.2, 0.9], [false, false]).auc).toBeNull();
  });
});

describe('rocReport', () => {
  // labels [0, 1, 2, 1]; probabilities per row below.
  // class 0: positive .7 beats negatives .2 .3 .6 -> AUC 1
  // class 1: positives .5 .3 vs negatives .2 .3 -> .5 wins twice, .3 wins once and ties once: 3.5/4
  // class 2: positive .4 beats .1 .3 .1 -> AUC 1; macro (1 + .875 + 1)/3
  const probabilities = [0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.3, 0.3, 0.4, 0.6, 0.3, 0.1];
  const labels = [0, 1, 2, 1];

  it('scores each class one-vs-rest with a macro AUC', () => {
    const r = rocReport(probabilities, labels, 3);
    expect(r.mode).toBe('one-vs-rest');
    expect(r.curves.map((c) => c.positiveClass)).toEqual([0, 1, 2]);
    expect(r.curves[0]!.auc).toBe(1);
    expect(r.curves[1]!.auc).toBeCloseTo(0.875, 12);
    expect(r.curves[2]!.auc).toBe(1);
    expect(r.macroAuc).toBeCloseTo(2.875 / 3, 12);
    expect(r.averagedClasses).toBe(3);
  });

  it('averages only the classes whose AUC is defined, and says how many', () => {
    // No example of class 2: its curve has no AUC; macro is over classes 0 and 1.
    const r = rocReport([0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.6, 0.3, 0.1], [0, 1, 1], 3);
    expect(r.curves[2]!.auc).toBeNull();
    expect(r.averagedClasses).toBe(2);
    // class 0: .7 beats .2 and .6 -> 1; class 1: positives .5 .3 vs negative .2 -> 1
    expect(r.macroAuc).toBe(1);
  });

  it('reports one curve, class 1 against class 0, for two classes', () => {
    const p1 = [0.1, 0.4, 0.35, 0.8];
    const r = rocReport(p1.flatMap((p) => [1 - p, p]), [0, 0, 1, 1], 2);
    expect(r.mode).toBe('binary');
    expect(r.curves).toHaveLength(1);
    expect(r.curves[0]!.positiveClass).toBe(1);
    // Positives .35 .8 vs negatives .1 .4: .35 beats .1 only -> 3/4.
    expect(r.curves[0]!.auc).toBeCloseTo(0.75, 12);
    expect(r.macroAuc).toBeCloseTo(0.75, 12);
  });

  it('has no macro AUC when a single class is present', () => {
    const r = rocReport([0.9, 0.1, 0.6, 0.4], [0, 0], 2);
    expect(r.macroAuc).toBeNull();
    expect(r.averagedClasses).toBe(0);
  });
});
