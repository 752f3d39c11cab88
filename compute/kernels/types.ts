import type { DeviceCaps } from './caps';
import type { Grid } from './grid';

/**
 * Kernel metadata. A kernel definition is a WGSL generator plus everything a runtime (or a future
 * CUDA twin) needs to know without reading the shader: its op, the variant, its bindings in
 * binding-index order, its workgroup size and its dispatch grid for given parameters.
 */
export type KernelVariant =
  /** Workgroup-shared-memory tiling with barriers: what real GPUs need. */
  | 'tiled-shared'
  /** Barrier-free, register-blocked, vec4 loads: what CPU adapters (SwiftShader) run fast. */
  | 'cpu-friendly'
  /** One formulation serves both (element-wise and per-row kernels). */
  | 'portable';

export type BindingKind = 'read-only-storage' | 'storage' | 'uniform';

export interface BindingDesc {
  readonly name: string;
  readonly kind: BindingKind;
  /** Element type as seen by the kernel; the host supplies matching buffers. */
  readonly element: 'f32' | 'u32' | 'struct';
  readonly description: string;
}

export interface KernelDef<P> {
  /** Unique name, e.g. 'matmul.blocked-4x4'. */
  readonly name: string;
  /** The op it implements, e.g. 'matmul'. Several variants may implement one op. */
  readonly op: string;
  readonly variant: KernelVariant;
  readonly summary: string;
  readonly bindings: (params: P) => readonly BindingDesc[];
  readonly workgroupSize: (params: P, caps: DeviceCaps) => Grid;
  readonly workgroups: (params: P, caps: DeviceCaps) => Grid;
  /** WGSL source specialised for the parameters (sizes are baked in as constants). */
  readonly wgsl: (params: P, caps: DeviceCaps) => string;
  /** Throws a RangeError with a clear message for parameters the kernel cannot run. */
  readonly validate?: (params: P) => void;
}

/** A kernel specialised for parameters and a device: ready to compile and dispatch. */
export interface KernelInstance {
  readonly name: string;
  readonly op: string;
  readonly variant: KernelVariant;
  /** Pipeline-cache key: kernel name + specialisation. */
  readonly key: string;
  readonly code: string;
  readonly entryPoint: 'main';
  readonly workgroupSize: Grid;
  readonly workgroups: Grid;
  readonly bindings: readonly BindingDesc[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds kernels of every parameter type
export type AnyKernelDef = KernelDef<any>;

export function specialise<P>(def: KernelDef<P>, params: P, caps: DeviceCaps): KernelInstance {
  def.validate?.(params);
  const workgroupSize = def.workgroupSize(params, caps);
  return {
    name: def.name,
    op: def.op,
    variant: def.variant,
    key: `${def.name}|${JSON.stringify(params)}|${JSON.stringify(caps)}`,
    code: def.wgsl(params, caps),
    entryPoint: 'main',
    workgroupSize,
    workgroups: def.workgroups(params, caps),
    bindings: def.bindings(params),
  };
}

/** WGSL declarations for a binding list, in binding-index order, all in group 0. */
export function bindingDeclarations(bindings: readonly BindingDesc[], types: Readonly<Record<string, string>> = {}): string {
  return bindings
    .map((b, i) => {
      const type = types[b.name] ?? `array<${b.element}>`;
      const space = b.kind === 'uniform' ? 'uniform' : b.kind === 'storage' ? 'storage, read_write' : 'storage, read';
      return `@group(0) @binding(${i}) var<${space}> ${b.name}: ${type};`;
    })
    .join('\n');
}

/** Shorthand for binding descriptions. */
export const input = (name: string, description: string, element: 'f32' | 'u32' = 'f32'): BindingDesc => ({
  name, kind: 'read-only-storage', element, description,
});
export const output = (name: string, description: string, element: 'f32' | 'u32' = 'f32'): BindingDesc => ({
  name, kind: 'storage', element, description,
});
export const uniform = (name: string, description: string): BindingDesc => ({
  name, kind: 'uniform', element: 'struct', description,
});

/** Formats a number as a WGSL f32 literal (always with a decimal point or exponent). */
export function f32Literal(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot bake non-finite constant ${x} into WGSL`);
  const s = Math.fround(x).toString();
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** Checks a size parameter is a positive integer. */
export function requirePositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}
