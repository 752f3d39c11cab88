import { rocCurve, type RocCurve } from './roc-curve';

export interface ClassRoc extends RocCurve {
  /** The class scored as positive against all the others. */
  readonly positiveClass: number;
}

export interface RocReport {
  /** Two classes: one curve, class 1 against class 0. More: one curve per class, one-vs-rest. */
  readonly mode: 'binary' | 'one-vs-rest';
  readonly curves: ClassRoc[];
  /** Mean of the defined AUCs (the binary AUC itself for two classes); null when none is defined. */
  readonly macroAuc: number | null;
  /** How many classes the macro AUC averages; fewer than curves.length when a class is absent. */
  readonly averagedClasses: number;
}

/**
 * ROC per class from row-major probabilities [rows, classes]. For two classes class 0's curve is
 * class 1's mirrored with the same area, so only class 1's is reported, as scikit-learn does.
 */
export function rocReport(probabilities: ArrayLike<number>, labels: ArrayLike<number>, classes: number): RocReport {
  const rows = labels.length;
  const targets = classes === 2 ? [1] : Array.from({ length: classes }, (_, c) => c);
  const scores = new Float64Array(rows);
  const positive = new Array<boolean>(rows);
  const curves = targets.map((c): ClassRoc => {
    for (let r = 0; r < rows; r++) {
      scores[r] = probabilities[r * classes + c]!;
      positive[r] = labels[r] === c;
    }
    return { positiveClass: c, ...rocCurve(scores, positive) };
  });
  const defined = curves.map((c) => c.auc).filter((a): a is number => a !== null);
  return {
    mode: classes === 2 ? 'binary' : 'one-vs-rest',
    curves,
    macroAuc: defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null,
    averagedClasses: defined.length,
  };
}
