import { assertLength, at, type Values } from './types';

/** y[r,c] = x[r,c] + bias[c] over a row-major [rows, cols] matrix. */
export function biasAdd(x: Values, bias: Values, rows: number, cols: number): Float64Array {
  assertLength('x', x, rows * cols);
  assertLength('bias', bias, cols);
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) y[r * cols + c] = at(x, r * cols + c) + at(bias, c);
  }
  return y;
}

/** dBias[c] = Σ_r dy[r,c]: the bias gradient is the column sum of the output gradient. */
export function biasGrad(dy: Values, rows: number, cols: number): Float64Array {
  assertLength('dy', dy, rows * cols);
  const db = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) db[c] = (db[c] as number) + at(dy, r * cols + c);
  }
  return db;
}
