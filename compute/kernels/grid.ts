import type { DeviceCaps } from './caps';

/**
 * Dispatch grids. WebGPU caps each dispatch dimension (65535 by default), so a kernel that needs
 * more workgroups than that spreads them over x and y and recovers a linear workgroup id with
 * LINEAR_WORKGROUP_WGSL. Every generated kernel indexes its work this way, so any size dispatches.
 */
export type Grid = readonly [number, number, number];

export function linearGrid(workgroupCount: number, caps: DeviceCaps): Grid {
  const count = Math.max(1, Math.ceil(workgroupCount));
  const max = caps.maxWorkgroupsPerDimension;
  if (count <= max) return [count, 1, 1];
  const y = Math.ceil(count / max);
  if (y > max) throw new RangeError(`${count} workgroups exceed the device's ${max}x${max} dispatch grid`);
  // Balance x so the spill-over row wastes few workgroups.
  return [Math.ceil(count / y), y, 1];
}

/** WGSL for the linear workgroup index of a grid made by linearGrid. */
export const LINEAR_WORKGROUP_WGSL = /* wgsl */ `
fn linear_workgroup(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.x + wid.y * nwg.x;
}`;

export function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}
