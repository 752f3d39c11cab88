import { softmax } from '../cpu/softmax';
import { checkFinite, checkLabels, checkRowCount } from './check-inputs';
import { classificationReport, type ClassificationReport } from './classification-report';
import { confusionMatrix, normaliseRows } from './confusion-matrix';
import { rocReport, type RocReport } from './one-vs-rest';

export interface ClassificationMetrics {
  readonly report: ClassificationReport;
  /** counts[actual][predicted]. */
  readonly confusion: number[][];
  /** Rows divided by their total; null for a class with no examples. */
  readonly confusionNormalised: (number[] | null)[];
  readonly roc: RocReport;
}

export interface ClassificationInput {
  /** Row-major [rows, classes] model outputs. */
  readonly outputs: ArrayLike<number>;
  /** Logits get a softmax first; ROC needs comparable scores across rows, which raw logits are not. */
  readonly kind: 'logits' | 'probabilities';
  readonly labels: ArrayLike<number>;
  readonly classes: number;
}

/** Everything a practitioner reads off a classifier, from its outputs and the true labels. */
export function classificationMetrics({ outputs, kind, labels, classes }: ClassificationInput): ClassificationMetrics {
  const rows = labels.length;
  checkLabels(labels, classes);
  checkRowCount(outputs, classes, rows, kind);
  checkFinite(outputs, classes, kind);
  const probabilities = kind === 'logits' ? softmax(outputs, rows, classes) : outputs;
  const predicted = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    // The first of equal maxima wins, as numpy's argmax does.
    let best = 0;
    for (let c = 1; c < classes; c++) if (probabilities[r * classes + c]! > probabilities[r * classes + best]!) best = c;
    predicted[r] = best;
  }
  const confusion = confusionMatrix(labels, predicted, classes);
  return { report: classificationReport(confusion), confusion, confusionNormalised: normaliseRows(confusion), roc: rocReport(probabilities, labels, classes) };
}
