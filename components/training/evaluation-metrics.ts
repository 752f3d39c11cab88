import type { Dataset } from '@/compute/data';
import { EvalError, scoreDataset, type DatasetMetrics } from '@/compute/eval';

/** The metrics, or why there are none (e.g. a diverged model's NaN outputs), without losing the rest of the report. */
export type EvaluationMetrics = DatasetMetrics | { readonly task: 'unavailable'; readonly code: string; readonly message: string };

export function evaluationMetrics(dataset: Dataset, outputs: ArrayLike<number>, width: number): EvaluationMetrics {
  try {
    return scoreDataset(dataset, outputs, width);
  } catch (error) {
    if (error instanceof EvalError) return { task: 'unavailable', code: error.code, message: error.message };
    throw error;
  }
}
