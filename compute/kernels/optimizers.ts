import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, requirePositiveInt, uniform, type KernelDef } from './types';

/**
 * Fused optimizer updates: one dispatch per parameter buffer reads the gradient and the optimizer
 * state and writes both back, instead of the five or six element-wise passes a naive graph would
 * run. Hyperparameters live in a uniform buffer because learning-rate schedules and Adam's
 * bias corrections change every step while the compiled pipeline stays the same.
 * Conventions match the CPU reference (PyTorch): SGD and Adam apply weight decay as L2 on the
 * gradient, AdamW decays the weights directly.
 */
export interface OptimizerParams {
  /** Number of parameters in the buffer. */
  readonly count: number;
}

const validate = (p: OptimizerParams) => requirePositiveInt('count', p.count);

/** Uniform layout for SGD, as 4 f32: lr, momentum, weightDecay, (padding). */
export function sgdUniforms(o: { lr: number; momentum?: number; weightDecay?: number }): Float32Array {
  return new Float32Array([o.lr, o.momentum ?? 0, o.weightDecay ?? 0, 0]);
}

/**
 * An SGD kernel: both flavours share bindings and the uniform layout (sgdUniforms) and differ only
 * in how the velocity becomes a step. `body` reads param[i], grad[i], velocity[i] and `hyper`.
 */
export function sgdKernel(spec: { name: string; op: string; summary: string; body: string }): KernelDef<OptimizerParams> {
  const def: KernelDef<OptimizerParams> = {
    name: spec.name,
    op: spec.op,
    variant: 'portable',
    summary: spec.summary,
    bindings: () => [
      output('param', 'parameters, updated in place'),
      input('grad', 'gradient'),
      output('velocity', 'momentum buffer, updated in place'),
      uniform('hyper', 'SgdHyper { lr, momentum, weightDecay }'),
    ],
    validate,
    workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
    workgroups: (p, caps) => itemWorkgroups(p.count, caps),
    wgsl: (p, caps) =>
      itemKernelWgsl(
        {
          bindings: def.bindings(p),
          types: { hyper: 'SgdHyper' },
          prelude: 'struct SgdHyper { lr: f32, momentum: f32, weightDecay: f32, pad: f32 }',
          items: p.count,
          body: spec.body,
        },
        caps,
      ),
  };
  return def;
}

export const sgdUpdate = sgdKernel({
  name: 'optimizer.sgd-momentum',
  op: 'sgd',
  summary: 'SGD with momentum and L2 weight decay: v = μv + g + λp; p -= lr·v',
  body: `  let pv = param[i];
  let v = hyper.momentum * velocity[i] + grad[i] + hyper.weightDecay * pv;
  velocity[i] = v;
  param[i] = pv - hyper.lr * v;`,
});

/**
 * Uniform layout for Adam/AdamW, as 8 f32: lr, beta1, beta2, eps, weightDecay, 1−beta1^t, 1−beta2^t,
 * (padding). The bias corrections are computed on the host in float64 from the step count t ≥ 1.
 */
export function adamUniforms(
  o: { lr: number; beta1?: number; beta2?: number; eps?: number; weightDecay?: number },
  step: number,
): Float32Array {
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`Adam step must be an integer >= 1, got ${step}`);
  const beta1 = o.beta1 ?? 0.9;
  const beta2 = o.beta2 ?? 0.999;
  return new Float32Array([o.lr, beta1, beta2, o.eps ?? 1e-8, o.weightDecay ?? 0, 1 - beta1 ** step, 1 - beta2 ** step, 0]);
}

const ADAM_STRUCT = 'struct AdamHyper { lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32, bc1: f32, bc2: f32, pad: f32 }';

function adamKernel(decoupled: boolean): KernelDef<OptimizerParams> {
  const def: KernelDef<OptimizerParams> = {
    name: decoupled ? 'optimizer.adamw' : 'optimizer.adam',
    op: decoupled ? 'adamw' : 'adam',
    variant: 'portable',
    summary: decoupled
      ? 'AdamW: p -= lr·λ·p, then the Adam step without L2'
      : 'Adam with L2 weight decay folded into the gradient',
    bindings: () => [
      output('param', 'parameters, updated in place'),
      input('grad', 'gradient'),
      output('m', 'first moment, updated in place'),
      output('v', 'second moment, updated in place'),
      uniform('hyper', 'AdamHyper { lr, beta1, beta2, eps, weightDecay, bc1, bc2 }'),
    ],
    validate,
    workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
    workgroups: (p, caps) => itemWorkgroups(p.count, caps),
    wgsl: (p, caps) =>
      itemKernelWgsl(
        {
          bindings: def.bindings(p),
          types: { hyper: 'AdamHyper' },
          prelude: ADAM_STRUCT,
          items: p.count,
          body: `  var pv = param[i];
  var g = grad[i];
  ${decoupled ? 'pv = pv - hyper.lr * hyper.weightDecay * pv;' : 'g = g + hyper.weightDecay * pv;'}
  let mi = hyper.beta1 * m[i] + (1.0 - hyper.beta1) * g;
  let vi = hyper.beta2 * v[i] + (1.0 - hyper.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  param[i] = pv - hyper.lr * (mi / hyper.bc1) / (sqrt(vi / hyper.bc2) + hyper.eps);`,
        },
        caps,
      ),
  };
  return def;
}

export const adamUpdate = adamKernel(false);
export const adamWUpdate = adamKernel(true);
