// Money is integer micro-units held as bigint: no float ever touches a balance.
export const MICRO_PER_CYX = 1_000_000n;

/** Whole CYX to µCYX: cyx(100) === 100_000_000n. Fractions are refused rather than rounded. */
export function cyx(whole: number | bigint): bigint {
  if (typeof whole === 'number' && !Number.isSafeInteger(whole)) {
    throw new RangeError(`cyx() takes a whole number of CYX, got ${whole}`);
  }
  return BigInt(whole) * MICRO_PER_CYX;
}

/** "1.5 CYX", "0.000001 CYX", "-2 CYX": exact, trailing zeros of the fraction dropped. */
export function formatCyx(micro: bigint): string {
  const sign = micro < 0n ? '-' : '';
  const abs = micro < 0n ? -micro : micro;
  const whole = abs / MICRO_PER_CYX;
  const fraction = abs % MICRO_PER_CYX;
  if (fraction === 0n) return `${sign}${whole} CYX`;
  const digits = fraction.toString().padStart(6, '0').replace(/0+$/, '');
  return `${sign}${whole}.${digits} CYX`;
}
