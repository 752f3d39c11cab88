/** Statistics read best with a few significant digits. */
export function formatStat(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
