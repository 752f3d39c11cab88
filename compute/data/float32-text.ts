/**
 * The shortest decimal that reads back as the same float32, as a number: 14.229999542236328
 * (float32's 14.23) gives 14.23. Float64 printing shows float32 noise no file ever had.
 */
export function shortestFloat32(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  const target = Math.fround(value);
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return Number(value.toPrecision(9));
}
