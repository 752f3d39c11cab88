import { checkFinite, checkRowCount } from './check-inputs';

export interface RegressionMetrics {
  readonly samples: number;
  /** Means over every output element; null when there are no examples. */
  readonly mse: number | null;
  readonly mae: number | null;
  /**
   * Coefficient of determination per output column; null for a column whose targets are all equal
   * (R² divides by their variance, so it has no value there).
   */
  readonly r2PerOutput: (number | null)[];
  /** Unweighted mean of the defined per-output R² (scikit-learn's 'uniform_average'); null if none. */
  readonly r2: number | null;
}

/** MSE, MAE and R² of row-major predictions against targets, both [rows, width]. */
export function regressionMetrics(predictions: ArrayLike<number>, targets: ArrayLike<number>, width = 1): RegressionMetrics {
  const rows = Math.floor(targets.length / Math.max(1, width));
  checkRowCount(targets, width, rows, 'targets');
  checkRowCount(predictions, width, rows, 'predictions');
  checkFinite(predictions, width, 'predictions');
  checkFinite(targets, width, 'targets');
  let squared = 0;
  let absolute = 0;
  for (let i = 0; i < targets.length; i++) {
    const d = predictions[i]! - targets[i]!;
    squared += d * d;
    absolute += Math.abs(d);
  }
  const r2PerOutput: (number | null)[] = [];
  for (let c = 0; c < width; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += targets[r * width + c]!;
    mean /= rows;
    let residual = 0;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      const y = targets[r * width + c]!;
      residual += (y - predictions[r * width + c]!) ** 2;
      total += (y - mean) ** 2;
    }
    r2PerOutput.push(rows > 0 && total > 0 ? 1 - residual / total : null);
  }
  const defined = r2PerOutput.filter((v): v is number => v !== null);
  const elements = targets.length;
  return {
    samples: rows,
    mse: elements > 0 ? squared / elements : null,
    mae: elements > 0 ? absolute / elements : null,
    r2PerOutput,
    r2: defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null,
  };
}
