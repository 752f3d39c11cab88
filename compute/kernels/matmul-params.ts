import type { Activation } from '../cpu/activations';
import { input, output, requirePositiveInt, type BindingDesc } from './types';

/**
 * C[m,n] = act(op(A)·op(B) + bias). transA: A is stored [k,m]; transB: B is stored [n,k].
 * Those two forms give a dense layer's backward without explicit transposes:
 * dW = Xᵀ·dY (transA) and dX = dY·Wᵀ (transB). The bias/activation epilogue fuses a dense layer's
 * forward into one dispatch.
 */
export interface MatmulParams {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
  /** Adds bias[n] before the activation. */
  readonly bias?: boolean;
  readonly activation?: Activation;
  /** Negative slope for leaky_relu. */
  readonly alpha?: number;
}

export function matmulBindings(p: MatmulParams): readonly BindingDesc[] {
  return [
    input('a', p.transA ? 'A stored [k, m]' : 'A stored [m, k]'),
    input('b', p.transB ? 'B stored [n, k]' : 'B stored [k, n]'),
    ...(p.bias ? [input('bias', 'bias [n]')] : []),
    output('c', 'C [m, n]'),
  ];
}

export function validateMatmul(p: MatmulParams): void {
  requirePositiveInt('m', p.m);
  requirePositiveInt('k', p.k);
  requirePositiveInt('n', p.n);
}

/** Storage layout of an operand: rows × leading dimension (elements per stored row). */
export function operandLayout(p: MatmulParams): { a: { rows: number; ld: number }; b: { rows: number; ld: number } } {
  return {
    a: p.transA ? { rows: p.k, ld: p.m } : { rows: p.m, ld: p.k },
    b: p.transB ? { rows: p.n, ld: p.k } : { rows: p.k, ld: p.n },
  };
}
