/** Summaries of repeated benchmark runs: the median, and whether each run's training actually learned. */

/** The p-th percentile (nearest rank) of ascending values; NaN for none. One rule for every benchmark. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface LossRun {
  readonly contender: string;
  readonly firstLoss: number;
  readonly lastLoss: number;
}

/**
 * One line per run whose loss is not finite or did not fall from its first step to its last: the
 * timings of such a run measure broken training, so a benchmark must fail rather than print them.
 */
export function lossFailures(runs: readonly LossRun[]): string[] {
  return runs
    .filter((r) => !(Number.isFinite(r.firstLoss) && Number.isFinite(r.lastLoss) && r.lastLoss < r.firstLoss))
    .map((r) => `${r.contender}: loss ${r.firstLoss} -> ${r.lastLoss}`);
}
