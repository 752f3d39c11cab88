/** Counts as people read them: 67, 12.5 k, 1.24 M, 3.1 G. */
export function compactCount(n: number): string {
  const units: [number, string][] = [
    [1e12, ' T'],
    [1e9, ' G'],
    [1e6, ' M'],
    [1e3, ' k'],
  ];
  for (const [size, suffix] of units) if (Math.abs(n) >= size) return `${(n / size).toPrecision(3).replace(/\.?0+$/, '')}${suffix}`;
  return String(n);
}

/** Bytes in binary units: 268 B, 1.5 KiB, 3.2 MiB. */
export function bytesText(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toPrecision(3).replace(/\.?0+$/, '')} ${units[unit]}`;
}
