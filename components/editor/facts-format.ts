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
