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

/** The most a person may type in one amount (mints, transfers): far above any real balance. */
export const MAX_TYPED_CYX = 1_000_000_000n;

/**
 * "12", "0.5", "1.000001" CYX as people type it → µCYX, exactly (no float in between). null for
 * anything else: signs, exponents, more than 6 decimals, zero (unless allowed: a free price), or
 * more than `maxMicro` (default MAX_TYPED_CYX). The one parser for mints, prices on the website
 * and prices on the runner's command line.
 */
export function parseCyx(text: string, options: { allowZero?: boolean; maxMicro?: bigint } = {}): bigint | null {
  const match = /^(\d{1,10})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return null;
  const micro = BigInt(match[1]!) * MICRO_PER_CYX + BigInt((match[2] ?? '').padEnd(6, '0'));
  const max = options.maxMicro ?? MAX_TYPED_CYX * MICRO_PER_CYX;
  return (micro > 0n || (options.allowZero && micro === 0n)) && micro <= max ? micro : null;
}
