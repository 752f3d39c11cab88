import { formatCyx, parseCyx } from '../../programs/units';
import { MAX_PRICE_MICRO } from '../../server/machines/schema';

/** "CYX per hour" as typed by a person → µCYX string, or an error message to show at the field. */
export function parseCyxPrice(text: string): { micro: string } | { error: string } {
  const micro = parseCyx(text, { allowZero: true, maxMicro: MAX_PRICE_MICRO });
  if (micro === null) return { error: `Give the price in CYX per hour, from 0 to ${formatCyx(MAX_PRICE_MICRO)}, e.g. 0.5 (at most 6 decimals).` };
  return { micro: micro.toString() };
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", else the date; "never" before the first heartbeat. */
export function formatLastSeen(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleString();
}

/** "no jobs yet", or "12 jobs, 92% succeeded". */
export function formatReputation(reputation: { jobs: number; successRate: number | null }): string {
  if (reputation.jobs === 0 || reputation.successRate === null) return 'no jobs yet';
  return `${reputation.jobs} job${reputation.jobs === 1 ? '' : 's'}, ${Math.round(reputation.successRate * 100)}% succeeded`;
}
