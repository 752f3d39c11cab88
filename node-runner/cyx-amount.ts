import { formatCyx as formatMicroCyx, parseCyx } from '../programs/units';
import { MAX_PRICE_MICRO } from '../server/machines/schema';
import { RunnerError } from './runner-error';

/** "2", "0.5", "1.000001" CYX per hour → µCYX as a decimal string (programs' parser); anything else is PRICE_INVALID. */
export function cyxToMicro(text: string): string {
  const micro = parseCyx(text, { allowZero: true, maxMicro: MAX_PRICE_MICRO });
  if (micro === null) {
    throw new RunnerError('PRICE_INVALID', `--price takes CYX per hour, from 0 to ${formatMicroCyx(MAX_PRICE_MICRO)}, with at most 6 decimals (e.g. 0.5); got "${text}".`);
  }
  return micro.toString();
}

/** µCYX string → "1.5 CYX" for people. */
export function formatCyx(micro: string): string {
  return formatMicroCyx(BigInt(micro));
}
