import { formatCyx } from '@/programs/units';

/** µCYX strings from the API as people read them; bigint all the way, so no float rounds a balance. */
export function cyxText(micro: string): string {
  return formatCyx(BigInt(micro));
}

/** A history change with its sign: "+250 CYX", "−100 CYX", "0 CYX". */
export function signedCyx(micro: string): string {
  const value = BigInt(micro);
  if (value > 0n) return `+${formatCyx(value)}`;
  if (value < 0n) return `−${formatCyx(-value)}`;
  return formatCyx(0n);
}
