import { linearWorkgroupSize, type DeviceCaps } from './caps';
import { ceilDiv, linearGrid, LINEAR_WORKGROUP_WGSL, type Grid } from './grid';
import { bindingDeclarations, type BindingDesc } from './types';

/**
 * Shared shape of one-invocation-per-item kernels (element-wise maps, per-row losses, optimizer
 * updates): a 1-D workgroup sized from the device limits, a grid that spills into y past 65535
 * workgroups, and an early exit for the padding invocations. There are no barriers, so the same
 * code suits GPUs and CPU adapters.
 */
export function itemWorkgroupSize(caps: DeviceCaps): Grid {
  return [linearWorkgroupSize(caps, 256), 1, 1];
}

export function itemWorkgroups(items: number, caps: DeviceCaps): Grid {
  return linearGrid(ceilDiv(items, linearWorkgroupSize(caps, 256)), caps);
}

export interface ItemKernelSource {
  readonly bindings: readonly BindingDesc[];
  /** Binding name → WGSL type, for bindings that are not array<f32|u32> (e.g. uniform structs). */
  readonly types?: Readonly<Record<string, string>>;
  /** Declarations before the entry point (constants, helper functions, structs). */
  readonly prelude?: string;
  readonly items: number;
  /** Statements run for item index `i` (a u32 below `items`). */
  readonly body: string;
}

export function itemKernelWgsl(src: ItemKernelSource, caps: DeviceCaps): string {
  const [wg] = itemWorkgroupSize(caps);
  return /* wgsl */ `
${src.prelude ?? ''}
${bindingDeclarations(src.bindings, src.types)}
${LINEAR_WORKGROUP_WGSL}

@compute @workgroup_size(${wg}, 1, 1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linear_workgroup(wid, nwg) * ${wg}u + lid;
  if (i >= ${src.items}u) { return; }
${src.body}
}`;
}
