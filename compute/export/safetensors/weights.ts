import { ModelError } from '../../model/model-error';
import { checkParameters } from '../../model/check-parameters';
import type { ModelPlan } from '../../model/plan';
import type { ParamDtype, ParameterSet } from '../../model/tensor';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from './format';
import { SafetensorsError } from './safetensors-error';

/** Recorded in every file we write, so a reader knows which weight layout it is looking at. */
export const WEIGHT_LAYOUT_METADATA = {
  format: 'cyxwiz',
  layout: 'dense.weight [in, out]; conv.weight [kh, kw, in, out] (HWIO); activations NHWC',
} as const;

/** Parameters and buffers as F32 tensors (Float64 parameters are rounded), named as in the plan. */
export function parametersToTensors(params: ParameterSet): Map<string, SafetensorsTensor> {
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [name, t] of params) {
    tensors.set(name, { dtype: 'F32', shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) });
  }
  return tensors;
}

export function saveWeights(params: ParameterSet, metadata: Record<string, string> = {}): Uint8Array {
  return writeSafetensors(parametersToTensors(params), { ...WEIGHT_LAYOUT_METADATA, kind: 'weights', ...metadata });
}

export interface LoadWeightsOptions {
  /** When given, every parameter the plan needs must be present with its shape, and nothing else. */
  readonly plan?: Pick<ModelPlan, 'params'>;
  readonly dtype?: ParamDtype;
}

/** Reads a weights file written by saveWeights (or any F32 safetensors file with our names). */
export function loadWeights(bytes: Uint8Array, options: LoadWeightsOptions = {}): ParameterSet {
  return tensorsToParameters(readSafetensors(bytes).tensors, options);
}

export function tensorsToParameters(tensors: ReadonlyMap<string, SafetensorsTensor>, options: LoadWeightsOptions = {}): ParameterSet {
  const params: ParameterSet = new Map();
  for (const [name, t] of tensors) {
    if (t.dtype !== 'F32') throw new SafetensorsError('UNSUPPORTED_DTYPE', `Parameter '${name}' must be F32, got ${t.dtype}`, name);
    const data = options.dtype === 'float64' ? Float64Array.from(t.data) : (t.data as Float32Array);
    params.set(name, { shape: [...t.shape], data });
  }
  if (options.plan) {
    const known = new Set(options.plan.params.map((p) => p.name));
    for (const name of params.keys()) {
      if (!known.has(name)) throw new SafetensorsError('BAD_ENTRY', `The file has a tensor '${name}' that this model does not use`, name);
    }
    try {
      checkParameters(options.plan, params);
    } catch (error) {
      if (error instanceof ModelError) throw new SafetensorsError(error.code === 'MISSING_PARAMETER' ? 'MISSING_TENSOR' : 'BAD_ENTRY', error.message);
      throw error;
    }
  }
  return params;
}
