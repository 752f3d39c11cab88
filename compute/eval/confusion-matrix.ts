/** counts[actual][predicted]: rows are the true class, columns the predicted one (scikit-learn's layout). */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) counts[actual[i]!]![predicted[i]!]!++;
  return counts;
}

/**
 * Each row divided by its total, so a cell reads "share of this true class predicted as that";
 * a class with no examples has no shares, so its row is null rather than a made-up row of zeros.
 */
export function normaliseRows(counts: readonly (readonly number[])[]): (number[] | null)[] {
  return counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row.map((c) => c / total);
  });
}
