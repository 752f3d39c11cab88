import { adamUpdate, adamWUpdate, sgdUpdate, type OptimizerParams } from '../kernels/optimizers';
import { sgdNesterovUpdate } from '../kernels/sgd-nesterov';
import type { KernelDef } from '../kernels/types';
import type { LrSchedule } from '../layers/lr-schedules';
import type { OptimizerConfig } from '../layers/optimizers';
import { optimizerSlots } from '../model/optimizer';
import type { ModelPlan } from '../model/plan';
import { EngineError } from './engine-error';
import { findFusions } from './fusion';
import { analyseGradFlow } from './grad-flow';
import { LOWERINGS } from './lower/registry';
import { perExample } from './lower/types';
import { PlanBuilder } from './plan-builder';
import type { BufferRef, ExecutionPlan, KernelCall, LossInfo } from './plan-types';

export interface CompileOptions {
  /** Examples per step. Kernels are specialised for it, so it is fixed for the plan's lifetime. */
  readonly batch: number;
  readonly variant: 'tiled-shared' | 'cpu-friendly';
  readonly optimizer: OptimizerConfig;
  readonly schedule?: LrSchedule;
  /** Byte alignment of packed parameters (the device's minStorageBufferOffsetAlignment). */
  readonly alignment?: number;
}

/**
 * Compiles a model plan (compute/model: validated graph, topological order, parameter names) into
 * an execution plan: the training step's forward, backward and optimizer dispatches, the inference
 * forward, and every buffer they touch. Pure data; GpuEngine allocates and runs it.
 */
export function compilePlan(model: ModelPlan, options: CompileOptions): ExecutionPlan {
  const { batch } = options;
  if (!Number.isInteger(batch) || batch < 1) throw new EngineError('BAD_BATCH', `The batch size must be a whole number of at least 1 (got ${batch})`);
  if (model.losses.length === 0) throw new EngineError('UNSUPPORTED_GRAPH', 'Training needs a loss layer');
  const flow = analyseGradFlow(model);
  const b = new PlanBuilder(model, batch, options.variant, flow, findFusions(model, flow), options.alignment ?? 256);

  const inputs = new Map<string, { ref: BufferRef; perExample: number }>();
  const labels = new Map<string, { ref: BufferRef; perExample: number; encoding: 'class-index' | 'values' }>();
  for (const node of model.nodes) {
    if (node.type === 'Input') {
      const width = perExample(node.outputShape);
      const ref = b.floats('input', node.id, batch * width);
      b.setValue(node.id, ref);
      inputs.set(node.id, { ref, perExample: width });
      continue;
    }
    if (node.type === 'Labels') {
      const encoding = node.params['encoding'] === 'values' ? 'values' : 'class-index';
      const width = encoding === 'class-index' ? 1 : perExample(node.outputShape);
      const ref = b.floats('input', node.id, batch * width);
      b.setValue(node.id, ref);
      labels.set(node.id, { ref, perExample: width, encoding });
      continue;
    }
    const lowering = LOWERINGS.get(node.type);
    if (!lowering) throw new EngineError('UNSUPPORTED_LAYER', `The WebGPU engine has no implementation of ${node.type}`, node.id);
    lowering.forward(b, node);
  }

  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const node = model.nodes[i]!;
    if (node.category === 'loss' || !flow.runsBackward.has(node.id)) continue;
    LOWERINGS.get(node.type)!.backward(b, node);
  }

  const update: KernelCall[] = [];
  const slots: Record<string, number> = {};
  const hyper = b.newBuffer('uniform', 'optimizer-hyper', 32).buffer;
  const trainableFloats = b.packedBytes / 4;
  if (b.params.some((p) => p.trainable)) {
    const whole = (buffer: number): BufferRef => ({ buffer, offset: 0, bytes: b.packedBytes });
    for (const slot of optimizerSlots(options.optimizer)) slots[slot] = b.newBuffer('optimizer', `optimizer.${slot}`, b.packedBytes).buffer;
    const hyperRef: BufferRef = { buffer: hyper, offset: 0, bytes: 32 };
    const { def, bindings } = optimizerCall(options.optimizer, whole(b.paramsBuffer), whole(b.gradsBuffer), slots, whole, hyperRef);
    update.push({ def, params: { count: trainableFloats }, bindings, nodeId: undefined });
  }

  const losses: LossInfo[] = model.losses.map((node) => {
    const scored = node.inputs.find((i) => i.kind === 'tensor')!;
    const target = node.inputs.find((i) => i.kind === 'labels')!;
    return { nodeId: node.id, type: node.type as LossInfo['type'], source: scored.source, width: perExample(scored.shape), labelsNode: target.source };
  });

  return {
    model,
    batch,
    variant: options.variant,
    optimizer: options.optimizer,
    schedule: options.schedule ?? { type: 'constant' },
    buffers: b.buffers,
    inputs,
    labels,
    values: b.values,
    params: b.params,
    losses,
    forward: b.forward,
    backward: b.backward,
    update,
    inference: b.inference,
    packed: { params: b.paramsBuffer, grads: b.gradsBuffer, slots, hyper, seed: b.seedUniform, metrics: b.metricsRef().buffer },
  };
}

function optimizerCall(
  config: OptimizerConfig,
  param: BufferRef,
  grad: BufferRef,
  slots: Record<string, number>,
  whole: (buffer: number) => BufferRef,
  hyper: BufferRef,
): { def: KernelDef<OptimizerParams>; bindings: Record<string, BufferRef> } {
  if (config.type === 'sgd') {
    const def = config.nesterov && config.momentum > 0 ? sgdNesterovUpdate : sgdUpdate;
    return { def, bindings: { param, grad, velocity: whole(slots['velocity']!), hyper } };
  }
  return { def: config.type === 'adam' ? adamUpdate : adamWUpdate, bindings: { param, grad, m: whole(slots['m']!), v: whole(slots['v']!), hyper } };
}
