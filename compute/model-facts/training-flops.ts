import { ModelFactsError } from './model-facts-error';
import type { ModelFacts } from './types';

function checkCount(field: 'samples' | 'epochs', value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ModelFactsError('INVALID_OPTION', `${field} must be a whole number of at least 1 (got ${String(value)})`, field);
  }
}

/**
 * FLOPs of a whole training run, the figure a network quote divides by a machine's measured
 * throughput: training FLOPs per example × samples per epoch × epochs. Evaluation passes and
 * optimizer updates are left out (see cost-rules.ts). A float64 estimate: past 2^53 it is rounded,
 * which is far below the uncertainty of any time or cost derived from it.
 */
export function trainingFlops(facts: Pick<ModelFacts, 'totals'>, samples: number, epochs: number): number {
  checkCount('samples', samples);
  checkCount('epochs', epochs);
  return facts.totals.trainingFlops * samples * epochs;
}
