import type { Values } from '../cpu/types';
import { EngineError } from './engine-error';
import type { ExecutionPlan } from './plan-types';

/**
 * One step's data. The common case is a dataset batch ({ size, features, labels }) for a model with
 * one Input and one Labels layer; models with several take arrays keyed by node id, like
 * compute/model's Feed.
 */
export type EngineBatch =
  | { readonly size: number; readonly features: Float32Array; readonly labels?: Int32Array | Float32Array }
  | { readonly batch: number; readonly inputs: Readonly<Record<string, Values>>; readonly labels?: Readonly<Record<string, Values>> };

export interface ResolvedFeed {
  readonly size: number;
  readonly inputs: Map<string, Float32Array>;
  readonly labels: Map<string, Float32Array | Uint32Array>;
}

function asFloat32(values: Values): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

function asUint32(values: Values): Uint32Array {
  if (values instanceof Uint32Array) return values;
  // Class indices from a dataset are non-negative Int32: the same bits as u32.
  if (values instanceof Int32Array) return new Uint32Array(values.buffer, values.byteOffset, values.length);
  return Uint32Array.from(values);
}

/** Maps a batch onto the plan's Input and Labels nodes and checks every length. */
export function resolveFeed(plan: ExecutionPlan, batch: EngineBatch, needLabels: boolean): ResolvedFeed {
  const size = 'size' in batch ? batch.size : batch.batch;
  if (!Number.isInteger(size) || size < 1) throw new EngineError('BAD_BATCH', `A batch needs at least one example (got ${size})`);
  const inputs = new Map<string, Float32Array>();
  const labels = new Map<string, Float32Array | Uint32Array>();
  if ('features' in batch) {
    if (plan.inputs.size !== 1) throw new EngineError('BAD_BATCH', `This model has ${plan.inputs.size} Input layers; pass arrays keyed by node id`);
    const [inputId] = plan.inputs.keys();
    inputs.set(inputId!, batch.features);
    if (batch.labels && plan.labels.size > 0) {
      if (plan.labels.size !== 1) throw new EngineError('BAD_BATCH', `This model has ${plan.labels.size} Labels layers; pass arrays keyed by node id`);
      const [labelsId] = plan.labels.keys();
      labels.set(labelsId!, plan.labels.get(labelsId!)!.encoding === 'class-index' ? asUint32(batch.labels) : asFloat32(batch.labels));
    }
  } else {
    for (const [id, values] of Object.entries(batch.inputs)) inputs.set(id, asFloat32(values));
    for (const [id, values] of Object.entries(batch.labels ?? {})) {
      const info = plan.labels.get(id);
      if (info) labels.set(id, info.encoding === 'class-index' ? asUint32(values) : asFloat32(values));
    }
  }
  for (const [id, info] of plan.inputs) {
    const values = inputs.get(id);
    if (!values) throw new EngineError('BAD_BATCH', `No features were given for Input '${id}'`, id);
    if (values.length !== size * info.perExample) {
      throw new EngineError('BAD_BATCH', `Input '${id}' got ${values.length} values; ${size} examples of ${info.perExample} values need ${size * info.perExample}`, id);
    }
  }
  if (needLabels) {
    for (const [id, info] of plan.labels) {
      const values = labels.get(id);
      if (!values) throw new EngineError('BAD_BATCH', `No labels were given for Labels '${id}'`, id);
      if (values.length !== size * info.perExample) {
        throw new EngineError('BAD_BATCH', `Labels '${id}' got ${values.length} values, expected ${size * info.perExample} for ${size} examples`, id);
      }
    }
  }
  return { size, inputs, labels };
}
