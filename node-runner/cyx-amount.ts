import { RunnerError } from './runner-error';

/** 1 CYX = 10^6 µCYX; money travels as integer µCYX strings, never floats. */
export const MICRO_PER_CYX = 1_000_000n;
const MAX_PRICE_MICRO = 10n ** 12n;

/** "2", "0.5", "1.000001" CYX → µCYX as a decimal string; anything else is PRICE_INVALID. */
export function cyxToMicro(text: string): string {
  const match = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RunnerError('PRICE_INVALID', `--price takes CYX per hour as a number with at most 6 decimals (e.g. 0.5), got "${text}".`);
  const micro = BigInt(match[1]!) * MICRO_PER_CYX + BigInt((match[2] ?? '').padEnd(6, '0'));
  if (micro > MAX_PRICE_MICRO) throw new RunnerError('PRICE_INVALID', `--price is at most ${MAX_PRICE_MICRO / MICRO_PER_CYX} CYX per hour.`);
  return micro.toString();
}

/** µCYX string → "1.5 CYX" for people. */
export function formatCyx(micro: string): string {
  const value = BigInt(micro);
  const whole = value / MICRO_PER_CYX;
  const fraction = (value % MICRO_PER_CYX).toString().padStart(6, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} CYX`;
}
