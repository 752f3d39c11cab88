// Dates in messages. Formatting a given instant is pure (no clock is read); Date cannot represent
// instants past ±8.64e15 ms, which a safe-integer `at` can still reach, so those print as numbers.
const MAX_DATE_MS = 8.64e15;

export function timeText(ms: number): string {
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : `${ms} ms since the epoch`;
}

export function durationText(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 24) return `${(hours / 24).toFixed(1).replace(/\.0$/, '')} days`;
  if (hours >= 1) return `${hours.toFixed(1).replace(/\.0$/, '')} hours`;
  return `${Math.ceil(ms / 60_000)} minutes`;
}
