/**
 * Parameters live in plain typed arrays. Float32 is the normal case (it is what the GPU and the
 * export formats use); Float64 exists so finite-difference gradient checks are not drowned in
 * rounding error. Every op reads either through ArrayLike<number>.
 */
export type FloatArray = Float32Array | Float64Array;

export type ParamDtype = 'float32' | 'float64';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: FloatArray;
}

/**
 * Named parameters and buffers of one model, e.g. `dense1.weight`, `batchnorm1.running_mean`.
 * A Map keeps insertion (plan) order, which export formats reuse for stable output.
 */
export type ParameterSet = Map<string, Tensor>;

export function allocate(dtype: ParamDtype, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Deep copy, e.g. to snapshot weights before an experiment. */
export function cloneParameters(params: ParameterSet): ParameterSet {
  const out: ParameterSet = new Map();
  for (const [name, t] of params) out.set(name, { shape: [...t.shape], data: t.data.slice() });
  return out;
}
