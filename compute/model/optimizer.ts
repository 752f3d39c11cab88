import { adamStep, adamWStep, sgdStep } from '../cpu/optimizers';
import type { MutableValues, Values } from '../cpu/types';
import { learningRateAt, type LrSchedule } from '../layers/lr-schedules';
import type { OptimizerConfig, SgdConfig } from '../layers/optimizers';
import { ModelError } from './model-error';
import type { ModelPlan } from './plan';
import { allocate, type FloatArray, type ParameterSet } from './tensor';

/** Per-parameter optimizer slots: SGD keeps `velocity`; Adam and AdamW keep `m` and `v`. */
export type OptimizerSlot = 'velocity' | 'm' | 'v';

export interface OptimizerState {
  readonly config: OptimizerConfig;
  readonly schedule: LrSchedule;
  /** Steps taken so far; the next update is step + 1 (Adam's bias correction counts from 1). */
  step: number;
  /** Slots per trainable parameter name, in the parameters' dtype. Checkpoints save them as `optimizer.<param>.<slot>`. */
  readonly slots: Map<string, Partial<Record<OptimizerSlot, FloatArray>>>;
}

export function optimizerSlots(config: OptimizerConfig): OptimizerSlot[] {
  return config.type === 'sgd' ? ['velocity'] : ['m', 'v'];
}

/** Zeroed optimizer state for every trainable parameter of the plan. */
export function createOptimizerState(
  plan: Pick<ModelPlan, 'params'>,
  params: ParameterSet,
  config: OptimizerConfig,
  schedule: LrSchedule = { type: 'constant' },
): OptimizerState {
  const slots = new Map<string, Partial<Record<OptimizerSlot, FloatArray>>>();
  for (const spec of plan.params) {
    if (!spec.trainable) continue;
    const data = params.get(spec.name)?.data;
    if (!data) throw new ModelError('MISSING_PARAMETER', `Parameter '${spec.name}' is missing`, spec.nodeId);
    const dtype = data instanceof Float64Array ? 'float64' : 'float32';
    const entry: Partial<Record<OptimizerSlot, FloatArray>> = {};
    for (const slot of optimizerSlots(config)) entry[slot] = allocate(dtype, data.length);
    slots.set(spec.name, entry);
  }
  return { config, schedule, step: 0, slots };
}

/** The learning rate the next step will use. */
export function currentLearningRate(state: OptimizerState): number {
  return learningRateAt(state.schedule, state.config.lr, state.step);
}

/** One update of every trainable parameter in place; returns the learning rate used. */
export function optimizerStep(state: OptimizerState, params: ParameterSet, grads: ReadonlyMap<string, Values>): number {
  const lr = currentLearningRate(state);
  const step = state.step + 1;
  const { config } = state;
  for (const [name, slots] of state.slots) {
    const param = params.get(name)?.data;
    const grad = grads.get(name);
    if (!param) throw new ModelError('MISSING_PARAMETER', `Parameter '${name}' is missing`);
    if (!grad) throw new ModelError('BAD_GRADIENTS', `No gradient was given for '${name}'`);
    if (grad.length !== param.length) throw new ModelError('BAD_GRADIENTS', `Gradient for '${name}' has ${grad.length} values, expected ${param.length}`);
    switch (config.type) {
      case 'sgd':
        if (config.nesterov && config.momentum > 0) nesterovStep(param, grad, slots.velocity!, lr, config);
        else sgdStep(param, grad, slots.velocity!, { lr, momentum: config.momentum, weightDecay: config.weightDecay });
        break;
      case 'adam':
        adamStep(param, grad, slots.m!, slots.v!, step, { lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps, weightDecay: config.weightDecay });
        break;
      case 'adamw':
        adamWStep(param, grad, slots.m!, slots.v!, step, { lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps, weightDecay: config.weightDecay });
        break;
    }
  }
  state.step = step;
  return lr;
}

/**
 * PyTorch's Nesterov SGD: v ← μ·v + g′ (g′ = g + λ·p), then p ← p − lr·(g′ + μ·v).
 * Kept here because compute/cpu's sgdStep covers plain momentum only.
 */
function nesterovStep(param: MutableValues, grad: Values, velocity: MutableValues, lr: number, config: SgdConfig): void {
  for (let i = 0; i < param.length; i++) {
    const p = param[i]!;
    const g = grad[i]! + config.weightDecay * p;
    const v = config.momentum * velocity[i]! + g;
    velocity[i] = v;
    param[i] = p - lr * (g + config.momentum * v);
  }
}
