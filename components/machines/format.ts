import { formatCyx } from '../../programs/units';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 85520809984 → "79.6 GiB". */
export function formatBytes(bytes: number): string {
  if (!(bytes > 0)) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A µCYX string as CYX, exactly. */
export function formatMicro(micro: string): string {
  return formatCyx(BigInt(micro));
}

/** "CYX per hour" as typed by a person → µCYX string, or an error message to show at the field. */
export function parseCyxPrice(text: string): { micro: string } | { error: string } {
  const match = /^(\d{1,7})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) return { error: 'Give the price in CYX per hour, e.g. 0.5 (at most 6 decimals).' };
  return { micro: (BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'))).toString() };
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
