import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '../graph/examples';
import { modelFacts } from './model-facts';
import { ModelFactsError } from './model-facts-error';
import { trainingFlops } from './training-flops';

describe('trainingFlops', () => {
  const result = modelFacts(mlpClassifier(4, [8], 3));
  if (!result.ok) throw new Error('the 4-8-3 MLP should validate');

  it('is training FLOPs per example × samples × epochs', () => {
    // 3·72 (Dense 8) + 2·8 (ReLU) + 3·51 (Dense 3) + 2·18 (loss) = 421 per example
    expect(result.totals.trainingFlops).toBe(421);
    expect(trainingFlops(result, 1_000, 3)).toBe(421 * 1_000 * 3);
    expect(trainingFlops(result, 1, 1)).toBe(421);
  });

  it.each([
    ['samples', 0, 1],
    ['samples', -5, 1],
    ['samples', 2.5, 1],
    ['samples', Number.NaN, 1],
    ['epochs', 10, 0],
    ['epochs', 10, Number.POSITIVE_INFINITY],
  ] as const)('refuses %s out of range (%s samples, %s epochs) with INVALID_OPTION', (field, samples, epochs) => {
    let error: unknown;
    try {
      trainingFlops(result, samples, epochs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFactsError);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', field });
    expect((error as Error).message).toMatch(new RegExp(`^${field} must be a whole number of at least 1`));
  });
});
