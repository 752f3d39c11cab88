import { assertLength, at, type Values } from './types';

/** Row-wise softmax over a row-major [rows, cols] matrix, shifted by the row max for stability. */
export function softmax(x: Values, rows: number, cols: number): Float64Array {
  assertLength('x', x, rows * cols);
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, at(x, o + c));
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(at(x, o + c) - max);
      y[o + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) y[o + c] = (y[o + c] as number) / sum;
  }
  return y;
}

/** dx = y ⊙ (dy − Σ_c dy·y), given the forward output y. */
export function softmaxBackward(y: Values, dy: Values, rows: number, cols: number): Float64Array {
  assertLength('y', y, rows * cols);
  assertLength('dy', dy, rows * cols);
  const dx = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += at(dy, o + c) * at(y, o + c);
    for (let c = 0; c < cols; c++) dx[o + c] = at(y, o + c) * (at(dy, o + c) - dot);
  }
  return dx;
}
