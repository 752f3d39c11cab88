import { describe, expect, it } from 'vitest';
import { add } from '../kernels/elementwise';
import type { KernelDef } from '../kernels/types';
import { input, output } from '../kernels/types';
import { scratch, upload, useTestGpu } from './test-gpu';

const gpu = useTestGpu();

const broken: KernelDef<{ count: number }> = {
  name: 'test.broken-shader',
  op: 'test',
  variant: 'portable',
  summary: 'a shader that does not compile',
  bindings: () => [input('x', 'in'), output('y', 'out')],
  workgroupSize: () => [64, 1, 1],
  workgroups: () => [1, 1, 1],
  wgsl: () => '@compute @workgroup_size(64) fn main() { let v: f32 = undefined_symbol; }',
};

describe('GpuRuntime', () => {
  it('batches dependent dispatches into one submit and sees each result in the next', async () => {
    const { runtime } = gpu();
    const count = 300;
    const kernel = runtime.kernel(add, { count });
    const one = upload(runtime, new Float32Array(count).fill(1));
    const x = upload(runtime, new Float32Array(count).fill(2));
    const y = scratch(runtime, count);
    const z = scratch(runtime, count);
    const submitsBefore = runtime.submitCount;
    runtime.dispatch(kernel, { a: x, b: one, y }); // y = 3
    runtime.dispatch(kernel, { a: y, b: y, y: z }); // z = 6
    runtime.dispatch(kernel, { a: z, b: one, y: x }); // x = 7
    const result = await runtime.readFloat32(x);
    expect(runtime.submitCount - submitsBefore).toBe(1);
    expect(Array.from(new Set(result))).toEqual([7]);
  });

  it('host writes land after work recorded before them', async () => {
    const { runtime } = gpu();
    const count = 64;
    const kernel = runtime.kernel(add, { count });
    const a = upload(runtime, new Float32Array(count).fill(1));
    const first = scratch(runtime, count);
    const second = scratch(runtime, count);
    runtime.dispatch(kernel, { a, b: a, y: first });
    runtime.write(a, new Float32Array(count).fill(5));
    runtime.dispatch(kernel, { a, b: a, y: second });
    expect((await runtime.readFloat32(first))[0]).toBe(2);
    expect((await runtime.readFloat32(second))[0]).toBe(10);
  });

  it('caches one pipeline per kernel specialisation', () => {
    const { runtime } = gpu();
    const before = runtime.pipelines.size;
    const k1 = runtime.kernel(add, { count: 777 });
    const k2 = runtime.kernel(add, { count: 777 });
    const b = scratch(runtime, 777);
    runtime.bindGroup(k1, { a: b, b, y: scratch(runtime, 777) });
    runtime.bindGroup(k2, { a: b, b, y: scratch(runtime, 777) });
    expect(k1.key).toBe(k2.key);
    expect(runtime.pipelines.size).toBe(before + 1);
    expect(runtime.kernel(add, { count: 778 }).key).not.toBe(k1.key);
  });

  it('names missing or unknown bindings', () => {
    const { runtime } = gpu();
    const kernel = runtime.kernel(add, { count: 4 });
    const b = scratch(runtime, 4);
    expect(() => runtime.dispatch(kernel, { a: b, y: scratch(runtime, 4) })).toThrow(/kernel add is missing bindings: b/);
    expect(() => runtime.dispatch(kernel, { a: b, b, y: scratch(runtime, 4), z: b })).toThrow(/kernel add has no bindings named: z/);
  });

  it('reports shader compile errors with the kernel name', async () => {
    const { runtime } = gpu();
    const kernel = runtime.kernel(broken, { count: 1 });
    await expect(runtime.prepare(kernel)).rejects.toThrow(/test.broken-shader/);
    runtime.dispatch(kernel, { x: scratch(runtime, 1), y: scratch(runtime, 1) });
    await expect(runtime.finish()).rejects.toThrow(/test.broken-shader/);
  });

  it('exposes the device limits it sizes kernels by', () => {
    const { runtime, node } = gpu();
    expect(runtime.caps.maxInvocationsPerWorkgroup).toBe(node.device.limits.maxComputeInvocationsPerWorkgroup);
    expect(runtime.caps.maxWorkgroupsPerDimension).toBe(node.device.limits.maxComputeWorkgroupsPerDimension);
  });
});
