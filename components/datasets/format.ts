export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Statistics read best with a few significant digits. */
export function formatStat(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
