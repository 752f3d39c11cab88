import { assertLength, at, type Values } from './types';

/**
 * C[m,n] = op(A)[m,k] · op(B)[k,n].
 * transA means A is stored as [k,m]; transB means B is stored as [n,k]. The transposed forms are
 * exactly what a dense layer's backward needs: dW = Xᵀ·dY (transA) and dX = dY·Wᵀ (transB).
 */
export interface MatmulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/** Element (row, col) of op(A) given A's storage layout. */
function readA(a: Values, s: MatmulShape, row: number, p: number): number {
  return s.transA ? at(a, p * s.m + row) : at(a, row * s.k + p);
}

function readB(b: Values, s: MatmulShape, p: number, col: number): number {
  return s.transB ? at(b, col * s.k + p) : at(b, p * s.n + col);
}

export function matmul(a: Values, b: Values, s: MatmulShape): Float64Array {
  assertLength('A', a, s.m * s.k);
  assertLength('B', b, s.k * s.n);
  const c = new Float64Array(s.m * s.n);
  for (let i = 0; i < s.m; i++) {
    for (let j = 0; j < s.n; j++) {
      let sum = 0;
      for (let p = 0; p < s.k; p++) sum += readA(a, s, i, p) * readB(b, s, p, j);
      c[i * s.n + j] = sum;
    }
  }
  return c;
}

/** Gradients of matmul, each returned in its operand's own storage layout. */
export function matmulBackward(
  a: Values,
  b: Values,
  dC: Values,
  s: MatmulShape,
): { dA: Float64Array; dB: Float64Array } {
  assertLength('dC', dC, s.m * s.n);
  const dA = new Float64Array(s.m * s.k);
  const dB = new Float64Array(s.k * s.n);
  for (let i = 0; i < s.m; i++) {
    for (let p = 0; p < s.k; p++) {
      let sum = 0;
      for (let j = 0; j < s.n; j++) sum += at(dC, i * s.n + j) * readB(b, s, p, j);
      dA[s.transA ? p * s.m + i : i * s.k + p] = sum;
    }
  }
  for (let p = 0; p < s.k; p++) {
    for (let j = 0; j < s.n; j++) {
      let sum = 0;
      for (let i = 0; i < s.m; i++) sum += readA(a, s, i, p) * at(dC, i * s.n + j);
      dB[s.transB ? j * s.k + p : p * s.n + j] = sum;
    }
  }
  return { dA, dB };
}
