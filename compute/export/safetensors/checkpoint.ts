import { LrScheduleSchema } from '../../layers/lr-schedules';
import { OptimizerSchema } from '../../layers/optimizers';
import type { ModelPlan } from '../../model/plan';
import { optimizerSlots, type OptimizerSlot, type OptimizerState } from '../../model/optimizer';
import type { FloatArray, ParamDtype, ParameterSet } from '../../model/tensor';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from './format';
import { SafetensorsError } from './safetensors-error';
import { parametersToTensors, tensorsToParameters, WEIGHT_LAYOUT_METADATA } from './weights';

/**
 * A resumable training checkpoint in one safetensors file:
 *   `<param>`                   weights and buffers, exactly as in a weights file
 *   `optimizer.<param>.<slot>`  optimizer slots (`velocity` for SGD, `m` and `v` for Adam/AdamW)
 *   `optimizer.step`            I32 scalar: steps taken
 * and in __metadata__ `optimizer` / `schedule` (their JSON configs) plus `kind: checkpoint`.
 * Parameter names end in a role (weight, bias, running_*) and slot names in a slot, so the two
 * namespaces cannot collide even if a node is called "optimizer".
 */
export interface Checkpoint {
  readonly params: ParameterSet;
  readonly optimizer: OptimizerState;
}

const STEP = 'optimizer.step';
const SLOT_SUFFIX = /^optimizer\.(.+)\.(velocity|m|v)$/;

export function saveCheckpoint(checkpoint: Checkpoint, metadata: Record<string, string> = {}): Uint8Array {
  const tensors = parametersToTensors(checkpoint.params);
  const { optimizer } = checkpoint;
  for (const [param, slots] of optimizer.slots) {
    for (const [slot, data] of Object.entries(slots)) {
      tensors.set(`optimizer.${param}.${slot}`, { dtype: 'F32', shape: [data.length], data: data instanceof Float32Array ? data : Float32Array.from(data) });
    }
  }
  tensors.set(STEP, { dtype: 'I32', shape: [], data: Int32Array.of(optimizer.step) });
  return writeSafetensors(tensors, {
    ...WEIGHT_LAYOUT_METADATA,
    ...metadata,
    kind: 'checkpoint',
    optimizer: JSON.stringify(optimizer.config),
    schedule: JSON.stringify(optimizer.schedule),
  });
}

export interface LoadCheckpointOptions {
  readonly plan?: Pick<ModelPlan, 'params'>;
  readonly dtype?: ParamDtype;
}

export function loadCheckpoint(bytes: Uint8Array, options: LoadCheckpointOptions = {}): Checkpoint {
  const file = readSafetensors(bytes);
  if (file.metadata['kind'] !== 'checkpoint') {
    throw new SafetensorsError('BAD_CHECKPOINT', `This file is not a checkpoint (metadata kind is ${JSON.stringify(file.metadata['kind'] ?? null)}); load it as weights instead`);
  }
  const config = parseJson('optimizer', file.metadata['optimizer'], (v) => OptimizerSchema.parse(v));
  const schedule = parseJson('schedule', file.metadata['schedule'], (v) => LrScheduleSchema.parse(v));
  const stepTensor = file.tensors.get(STEP);
  if (!stepTensor || stepTensor.dtype !== 'I32' || stepTensor.data.length !== 1) {
    throw new SafetensorsError('BAD_CHECKPOINT', `A checkpoint needs an I32 scalar '${STEP}'`, STEP);
  }

  const weights = new Map<string, SafetensorsTensor>();
  const slotTensors = new Map<string, SafetensorsTensor>();
  for (const [name, t] of file.tensors) {
    if (name === STEP) continue;
    if (SLOT_SUFFIX.test(name)) slotTensors.set(name, t);
    else weights.set(name, t);
  }
  const params = tensorsToParameters(weights, options);
  const expectedSlots = optimizerSlots(config);
  // Without a plan, weights and biases are the trainable parameters (running statistics are buffers).
  const trainable = options.plan
    ? options.plan.params.filter((p) => p.trainable).map((p) => p.name)
    : [...params.keys()].filter((name) => /\.(weight|bias)$/.test(name));
  const slots = new Map<string, Partial<Record<OptimizerSlot, FloatArray>>>();
  for (const param of trainable) {
    const size = params.get(param)?.data.length;
    if (size === undefined) throw new SafetensorsError('MISSING_TENSOR', `Optimizer state exists for '${param}' but the parameter itself is missing`, param);
    const entry: Partial<Record<OptimizerSlot, FloatArray>> = {};
    for (const slot of expectedSlots) {
      const name = `optimizer.${param}.${slot}`;
      const t = slotTensors.get(name);
      if (!t) throw new SafetensorsError('MISSING_TENSOR', `The ${config.type} checkpoint lacks '${name}'`, name);
      if (t.dtype !== 'F32' || t.data.length !== size) throw new SafetensorsError('BAD_ENTRY', `'${name}' must be F32 with ${size} values, like its parameter`, name);
      slotTensors.delete(name);
      entry[slot] = options.dtype === 'float64' ? Float64Array.from(t.data) : (t.data as Float32Array);
    }
    slots.set(param, entry);
  }
  const leftover = slotTensors.keys().next();
  if (!leftover.done) throw new SafetensorsError('BAD_CHECKPOINT', `'${leftover.value}' is not optimizer state for a ${config.type} optimizer of this model`, leftover.value);
  return { params, optimizer: { config, schedule, step: stepTensor.data[0]!, slots } };
}

function parseJson<T>(key: string, text: string | undefined, parse: (value: unknown) => T): T {
  if (text === undefined) throw new SafetensorsError('BAD_CHECKPOINT', `A checkpoint needs __metadata__.${key}`);
  try {
    return parse(JSON.parse(text));
  } catch (error) {
    throw new SafetensorsError('BAD_CHECKPOINT', `__metadata__.${key} is not a valid ${key} configuration: ${(error as Error).message.slice(0, 300)}`);
  }
}
