import type { DatasetColumnStats } from '../db/collections';

/** Distinct values are worth showing only for categorical-looking columns; beyond this we stop counting. */
const MAX_DISTINCT = 256;

/**
 * One pass of running statistics for a column (Welford's mean and variance, so a 20 MiB file of
 * large values does not lose precision to a naive sum of squares).
 */
export class ColumnStatsAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;
  private min = Infinity;
  private max = -Infinity;
  private distinct: Set<number> | null = new Set();

  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.distinct) {
      if (!Number.isInteger(value)) this.distinct = null;
      else {
        this.distinct.add(value);
        if (this.distinct.size > MAX_DISTINCT) this.distinct = null;
      }
    }
  }

  result(name: string): DatasetColumnStats {
    const empty = this.count === 0;
    return {
      name,
      min: empty ? 0 : this.min,
      max: empty ? 0 : this.max,
      mean: round(this.mean),
      std: round(this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0),
      missing: 0,
      distinct: this.distinct ? this.distinct.size : null,
    };
  }
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
