import { assertLength, at, type Values } from './types';

export type Activation = 'none' | 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh' | 'gelu';

export const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'gelu'];

/** GELU uses the tanh approximation (as in GPT-2, TF `approximate=True`, PyTorch `approximate='tanh'`). */
export const GELU_APPROXIMATION = 'tanh' as const;

export const DEFAULT_LEAKY_ALPHA = 0.01;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

export function activationValue(kind: Activation, x: number, alpha = DEFAULT_LEAKY_ALPHA): number {
  switch (kind) {
    case 'none':
      return x;
    case 'relu':
      return x > 0 ? x : 0;
    case 'leaky_relu':
      return x > 0 ? x : alpha * x;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'tanh':
      return Math.tanh(x);
    case 'gelu':
      return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
  }
}

/** d activation / dx at the pre-activation x. ReLU's derivative at exactly 0 is taken as 0. */
export function activationDerivative(kind: Activation, x: number, alpha = DEFAULT_LEAKY_ALPHA): number {
  switch (kind) {
    case 'none':
      return 1;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'leaky_relu':
      return x > 0 ? 1 : alpha;
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    }
    case 'tanh': {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'gelu': {
      const u = SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
      const t = Math.tanh(u);
      const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du;
    }
  }
}

export function activate(kind: Activation, x: Values, alpha = DEFAULT_LEAKY_ALPHA): Float64Array {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = activationValue(kind, at(x, i), alpha);
  return y;
}

/** dx = dy · f'(x). Backward takes the pre-activation input so every activation has one signature. */
export function activateBackward(kind: Activation, x: Values, dy: Values, alpha = DEFAULT_LEAKY_ALPHA): Float64Array {
  assertLength('dy', dy, x.length);
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) dx[i] = at(dy, i) * activationDerivative(kind, at(x, i), alpha);
  return dx;
}
