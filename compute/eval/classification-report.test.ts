import { describe, expect, it } from 'vitest';
import { classificationReport } from './classification-report';
import { confusionMatrix, normaliseRows } from './confusion-matrix';

describe('classificationReport', () => {
  // actual    = [0, 0, 1, 1, 1, 2]
  // predicted = [0, 1, 1, 1, 0, 1]
  // confusion (rows true): [1 1 0] [1 2 0] [0 1 0]
  // class 0: tp 1, predicted 2, support 2 -> P 1/2, R 1/2, F1 1/2
  // class 1: tp 2, predicted 4, support 3 -> P 1/2, R 2/3, F1 2(1/2)(2/3)/(1/2+2/3) = 4/7
  // class 2: never predicted -> P 0/0 (reported 0, flagged), R 0/1 = 0, F1 0
  // accuracy 3/6; macro P (1/2+1/2+0)/3 = 1/3, R (1/2+2/3+0)/3 = 7/18, F1 (1/2+4/7+0)/3 = 5/14
  // weighted P (2·1/2+3·1/2+0)/6 = 5/12, R (2·1/2+3·2/3+0)/6 = 1/2, F1 (2·1/2+3·4/7+0)/6 = 19/42
  const actual = [0, 0, 1, 1, 1, 2];
  const predicted = [0, 1, 1, 1, 0, 1];
  const confusion = confusionMatrix(actual, predicted, 3);

  it('counts true classes in rows and predictions in columns', () => {
    expect(confusion).toEqual([
      [1, 1, 0],
      [1, 2, 0],
      [0, 1, 0],
    ]);
    const normalised = normaliseRows(confusion);
    expect(normalised[0]).toEqual([0.5, 0.5, 0]);
    expect(normalised[1]![0]).toBeCloseTo(1 / 3, 12);
    expect(normalised[1]![1]).toBeCloseTo(2 / 3, 12);
    expect(normalised[2]).toEqual([0, 1, 0]);
  });

  it('gives per-class, macro and weighted precision / recall / F1 as worked out by hand', () => {
    const r = classificationReport(confusion);
    expect(r.accuracy).toBe(0.5);
    expect(r.samples).toBe(6);
    const [c0, c1, c2] = r.perClass;
    expect([c0!.precision, c0!.recall, c0!.f1, c0!.support, c0!.predicted]).toEqual([0.5, 0.5, 0.5, 2, 2]);
    expect(c1!.precision).toBe(0.5);
    expect(c1!.recall).toBeCloseTo(2 / 3, 12);
    expect(c1!.f1).toBeCloseTo(4 / 7, 12);
    expect(c1!.support).toBe(3);
    expect(c2).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 0, precisionUndefined: true, recallUndefined: false, inAverages: true });
    expect(c0!.precisionUndefined || c1!.precisionUndefined).toBe(false);
    expect(r.macro!.precision).toBeCloseTo(1 / 3, 12);
    expect(r.macro!.recall).toBeCloseTo(7 / 18, 12);
    expect(r.macro!.f1).toBeCloseTo(5 / 14, 12);
    expect(r.weighted!.precision).toBeCloseTo(5 / 12, 12);
    expect(r.weighted!.recall).toBeCloseTo(0.5, 12);
    expect(r.weighted!.f1).toBeCloseTo(19 / 42, 12);
    expect(r.weighted!.support).toBe(6);
  });

  it('leaves a class that is neither present nor predicted out of the macro average', () => {
    // actual [0, 1, 0, 1], predicted [0, 1, 1, 1], 3 classes: class 2 never appears.
    // class 0: P 1/1, R 1/2, F1 2/3; class 1: P 2/3, R 2/2, F1 4/5
    // macro over classes 0 and 1: P 5/6, R 3/4, F1 (2/3+4/5)/2 = 11/15
    const cm = confusionMatrix([0, 1, 0, 1], [0, 1, 1, 1], 3);
    const r = classificationReport(cm);
    expect(r.perClass[2]).toMatchObject({ support: 0, predicted: 0, precisionUndefined: true, recallUndefined: true, inAverages: false });
    expect(r.macro!.precision).toBeCloseTo(5 / 6, 12);
    expect(r.macro!.recall).toBeCloseTo(3 / 4, 12);
    expect(r.macro!.f1).toBeCloseTo(11 / 15, 12);
    expect(normaliseRows(cm)[2]).toBeNull();
  });

  it('reports no accuracy or averages for no examples', () => {
    const r = classificationReport(confusionMatrix([], [], 2));
    expect(r.accuracy).toBeNull();
    expect(r.macro).toBeNull();
    expect(r.weighted).toBeNull();
  });
});
