export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** True examples of this class. */
  readonly support: number;
  /** Examples predicted as this class. */
  readonly predicted: number;
  /** Never predicted: precision is 0/0, reported as 0 (scikit-learn's zero_division=0). */
  readonly precisionUndefined: boolean;
  /** No true examples: recall is 0/0, reported as 0. */
  readonly recallUndefined: boolean;
  /**
   * Neither present nor predicted: the class says nothing about this data, so it is left out of the
   * macro average (as scikit-learn does when it infers labels from y_true and y_pred).
   */
  readonly inAverages: boolean;
}

export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface ClassificationReport {
  /** null when there are no examples. */
  readonly accuracy: number | null;
  readonly samples: number;
  readonly perClass: ClassMetrics[];
  /** Unweighted mean over the classes with inAverages; null when there is none. */
  readonly macro: AveragedMetrics | null;
  /** Mean weighted by support; null when there are no examples. */
  readonly weighted: AveragedMetrics | null;
}

/** Precision, recall and F1 per class with macro and weighted averages, from a confusion matrix. */
export function classificationReport(confusion: readonly (readonly number[])[]): ClassificationReport {
  const k = confusion.length;
  let samples = 0;
  let correct = 0;
  const perClass: ClassMetrics[] = [];
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += confusion[r]![c]!;
    samples += support;
    correct += tp;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support, predicted, precisionUndefined: predicted === 0, recallUndefined: support === 0, inAverages: support > 0 || predicted > 0 });
  }
  const averaged = perClass.filter((m) => m.inAverages);
  const mean = (f: (m: ClassMetrics) => number) => averaged.reduce((s, m) => s + f(m), 0) / averaged.length;
  const weightedMean = (f: (m: ClassMetrics) => number) => perClass.reduce((s, m) => s + f(m) * m.support, 0) / samples;
  return {
    accuracy: samples > 0 ? correct / samples : null,
    samples,
    perClass,
    macro: averaged.length > 0 ? { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1), support: samples } : null,
    weighted: samples > 0 ? { precision: weightedMean((m) => m.precision), recall: weightedMean((m) => m.recall), f1: weightedMean((m) => m.f1), support: samples } : null,
  };
}
