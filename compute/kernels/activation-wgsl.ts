import { DEFAULT_LEAKY_ALPHA, type Activation } from '../cpu/activations';
import { f32Literal } from './types';

export type { Activation };

/**
 * WGSL for activation functions and their derivatives, generated for a scalar or vector type so
 * the element-wise kernels (f32) and the matmul epilogue (vec4<f32>) share one definition.
 * tanh is evaluated on a clamped argument: some implementations build it from exp() and return
 * NaN for large |x|, and tanh(±15) already rounds to ±1 in f32.
 */
export function activationWgsl(kind: Activation, type: 'f32' | 'vec4<f32>', alpha = DEFAULT_LEAKY_ALPHA, suffix = ''): string {
  const T = type;
  const a = f32Literal(alpha);
  const safeTanh = `fn safe_tanh${suffix}(x: ${T}) -> ${T} { return tanh(clamp(x, ${T}(-15.0), ${T}(15.0))); }`;
  const k = '0.7978845608028654'; // sqrt(2/pi)
  const c = '0.044715';
  const body: Record<Activation, [string, string]> = {
    none: ['return x;', `return ${T}(1.0);`],
    relu: [`return max(x, ${T}(0.0));`, `return select(${T}(0.0), ${T}(1.0), x > ${T}(0.0));`],
    leaky_relu: [`return select(${a} * x, x, x > ${T}(0.0));`, `return select(${T}(${a}), ${T}(1.0), x > ${T}(0.0));`],
    sigmoid: [
      `return ${T}(1.0) / (${T}(1.0) + exp(-x));`,
      `let s = ${T}(1.0) / (${T}(1.0) + exp(-x)); return s * (${T}(1.0) - s);`,
    ],
    tanh: [`return safe_tanh${suffix}(x);`, `let t = safe_tanh${suffix}(x); return ${T}(1.0) - t * t;`],
    gelu: [
      `return 0.5 * x * (${T}(1.0) + safe_tanh${suffix}(${k} * (x + ${c} * x * x * x)));`,
      `let t = safe_tanh${suffix}(${k} * (x + ${c} * x * x * x));
  let du = ${k} * (${T}(1.0) + 3.0 * ${c} * x * x);
  return 0.5 * (${T}(1.0) + t) + 0.5 * x * (${T}(1.0) - t * t) * du;`,
    ],
  };
  const [fwd, grad] = body[kind];
  return `${safeTanh}
fn activate${suffix}(x: ${T}) -> ${T} { ${fwd} }
fn activate_grad${suffix}(x: ${T}) -> ${T} { ${grad} }`;
}
