/** Plain decimal numbers only: Number() would also accept '', '0x1f', 'Infinity' and '1_000'-like surprises. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell's value, or undefined when it is not a finite decimal number. */
export function parseNumericCell(cell: string): number | undefined {
  if (!DECIMAL.test(cell)) return undefined;
  const value = Number(cell);
  return Number.isFinite(value) ? value : undefined;
}
