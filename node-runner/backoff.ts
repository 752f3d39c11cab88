/**
 * How long the runner waits before retrying after the platform could not be reached: 1, 2, 4, 8
 * and 16 s, then every 30 s for as long as it takes (a platform restart must not need a person).
 */
export const BACKOFF_STEPS_MS = [1_000, 2_000, 4_000, 8_000, 16_000] as const;
export const BACKOFF_STEADY_MS = 30_000;

/** The wait after the `failures`-th failure in a row (1 for the first). */
export function backoffDelayMs(failures: number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new RangeError(`failures must be a positive integer, got ${failures}`);
  return BACKOFF_STEPS_MS[failures - 1] ?? BACKOFF_STEADY_MS;
}
