import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics';
import { EvalError } from './eval-error';

describe('classificationMetrics', () => {
  it('turns logits into predictions, a report, a confusion matrix and ROC curves', () => {
    // Row argmaxes: 0, 1, 1, 2; labels 0, 1, 2, 2 -> one class-2 example taken for class 1.
    const logits = [3, 1, 0, 0, 2, 1, 0, 2, 1, -1, 0, 4];
    const m = classificationMetrics({ outputs: logits, kind: 'logits', labels: [0, 1, 2, 2], classes: 3 });
    expect(m.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 1],
    ]);
    expect(m.confusionNormalised[2]).toEqual([0, 0.5, 0.5]);
    expect(m.report.accuracy).toBe(0.75);
    expect(m.report.perClass[1]!.precision).toBe(0.5);
    expect(m.report.perClass[2]!.recall).toBe(0.5);
    expect(m.roc.mode).toBe('one-vs-rest');
    // P(class 0) is largest in row 0, the only class-0 example -> AUC 1. P(class 1) per row: .114 .665
    // .665 .018; the class-1 example (row 1) beats rows 0 and 3 and ties row 2 (same logits) -> 2.5/3.
    expect(m.roc.curves[0]!.auc).toBe(1);
    expect(m.roc.curves[1]!.auc).toBeCloseTo(2.5 / 3, 12);
  });

  it('scores the same from logits and from their softmax', () => {
    const logits = [0.2, -1, 1.5, 0.5, -0.4, 0.9, 2, 0.1];
    const labels = [1, 0, 1, 0];
    const probabilities = [];
    for (let r = 0; r < 4; r++) {
      const a = Math.exp(logits[2 * r]!);
      const b = Math.exp(logits[2 * r + 1]!);
      probabilities.push(a / (a + b), b / (a + b));
    }
    const fromLogits = classificationMetrics({ outputs: logits, kind: 'logits', labels, classes: 2 });
    const fromProbabilities = classificationMetrics({ outputs: probabilities, kind: 'probabilities', labels, classes: 2 });
    expect(fromLogits.roc.curves[0]!.auc).toBeCloseTo(fromProbabilities.roc.curves[0]!.auc!, 12);
    expect(fromLogits.confusion).toEqual(fromProbabilities.confusion);
    // P(class 1) = 1/(1+e^(l0-l1)) = .2315 .2689 .7858 .1301 for labels 1 0 1 0: positive .2315 beats
    // .1301 only, .7858 beats both negatives -> 3/4.
    expect(fromLogits.roc.curves[0]!.auc).toBeCloseTo(0.75, 12);
  });

  it('refuses labels outside the classes, short outputs and NaN outputs with codes', () => {
    expect(() => classificationMetrics({ outputs: [1, 0], kind: 'logits', labels: [5], classes: 2 })).toThrow(EvalError);
    expect(() => classificationMetrics({ outputs: [1, 0], kind: 'logits', labels: [2], classes: 2 })).toThrow(expect.objectContaining({ code: 'EVAL_LABEL_OUT_OF_RANGE', row: 0 }));
    expect(() => classificationMetrics({ outputs: [1, 0, 1], kind: 'logits', labels: [0, 1], classes: 2 })).toThrow(expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }));
    expect(() => classificationMetrics({ outputs: [1, 0, Number.NaN, 0], kind: 'logits', labels: [0, 1], classes: 2 })).toThrow(expect.objectContaining({ code: 'EVAL_NON_FINITE_OUTPUT', row: 1 }));
    expect(() => classificationMetrics({ outputs: [], kind: 'logits', labels: [], classes: 0 })).toThrow(expect.objectContaining({ code: 'EVAL_BAD_CLASS_COUNT' }));
  });
});
