import { formatCyx } from '@/programs/units';

/** Groups the whole part for reading ("12,500.25 CYX"); the digits stay exact. */
function grouped(text: string): string {
  return text.replace(/^(-?)(\d+)/, (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
}

/** µCYX strings from the API as people read them; bigint all the way, so no float rounds a balance. */
export function cyxText(micro: string): string {
  return grouped(formatCyx(BigInt(micro)));
}

/** A history change with its sign: "+250 CYX", "−100 CYX", "0 CYX". */
export function signedCyx(micro: string): string {
  const value = BigInt(micro);
  if (value > 0n) return `+${grouped(formatCyx(value))}`;
  if (value < 0n) return `−${grouped(formatCyx(-value))}`;
  return formatCyx(0n);
}
