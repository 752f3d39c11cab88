import { assertLength, at, type MutableValues, type Values } from './types';

/**
 * Optimizer steps, updating parameters and state in place. Conventions follow PyTorch so trained
 * models behave as users expect: SGD applies weight decay as L2 (added to the gradient) and keeps
 * an undampened velocity; Adam adds L2 to the gradient; AdamW decays the weights directly.
 */
export interface SgdOptions {
  readonly lr: number;
  readonly momentum?: number;
  readonly weightDecay?: number;
}

export interface AdamOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
}

export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** v ← μ·v + (g + λ·p);  p ← p − lr·v. */
export function sgdStep(param: MutableValues, grad: Values, velocity: MutableValues, o: SgdOptions): void {
  assertLength('grad', grad, param.length);
  assertLength('velocity', velocity, param.length);
  const momentum = o.momentum ?? 0;
  const wd = o.weightDecay ?? 0;
  for (let i = 0; i < param.length; i++) {
    const p = at(param, i);
    const v = momentum * at(velocity, i) + at(grad, i) + wd * p;
    velocity[i] = v;
    param[i] = p - o.lr * v;
  }
}

function adamCore(
  param: MutableValues,
  grad: Values,
  m: MutableValues,
  v: MutableValues,
  step: number,
  o: AdamOptions,
  decoupled: boolean,
): void {
  assertLength('grad', grad, param.length);
  assertLength('m', m, param.length);
  assertLength('v', v, param.length);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`Adam step must be an integer >= 1, got ${step}`);
  const b1 = o.beta1 ?? ADAM_DEFAULTS.beta1;
  const b2 = o.beta2 ?? ADAM_DEFAULTS.beta2;
  const eps = o.eps ?? ADAM_DEFAULTS.eps;
  const wd = o.weightDecay ?? 0;
  const bc1 = 1 - b1 ** step;
  const bc2 = 1 - b2 ** step;
  for (let i = 0; i < param.length; i++) {
    let p = at(param, i);
    let g = at(grad, i);
    if (decoupled) p -= o.lr * wd * p;
    else g += wd * p;
    const mi = b1 * at(m, i) + (1 - b1) * g;
    const vi = b2 * at(v, i) + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = p - (o.lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
}

/** Adam (Kingma & Ba) with L2 weight decay added to the gradient; `step` counts from 1. */
export function adamStep(param: MutableValues, grad: Values, m: MutableValues, v: MutableValues, step: number, o: AdamOptions): void {
  adamCore(param, grad, m, v, step, o, false);
}

/** AdamW (Loshchilov & Hutter): p ← p − lr·λ·p, then the Adam update without L2. */
export function adamWStep(param: MutableValues, grad: Values, m: MutableValues, v: MutableValues, step: number, o: AdamOptions): void {
  adamCore(param, grad, m, v, step, o, true);
}
