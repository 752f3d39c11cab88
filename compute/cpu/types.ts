/**
 * Array types for the CPU reference.
 *
 * Inputs accept any numeric array so the same functions check Float32Array results read back from
 * the GPU and run in float64 inside finite-difference gradient checks. Outputs are Float64Array:
 * the reference exists to be trusted, not to be fast.
 */
export type Values = ArrayLike<number>;

/** A numeric array that optimizer steps update in place (Float32Array, Float64Array, number[]). */
export interface MutableValues {
  readonly length: number;
  [index: number]: number;
}

/** Reads element i; noUncheckedIndexedAccess makes plain indexing `number | undefined`. */
export function at(values: Values, i: number): number {
  return values[i] as number;
}

export function assertLength(name: string, values: Values, expected: number): void {
  if (values.length !== expected) {
    throw new RangeError(`${name} has ${values.length} elements, expected ${expected}`);
  }
}
