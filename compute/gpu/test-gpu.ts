/**
 * Node-only test helper: one Dawn device + runtime per test file, torn down in afterAll so the
 * worker can exit (Dawn keeps Node alive while its instance is referenced).
 */
import { afterAll, beforeAll } from 'vitest';
import type { KernelDef } from '../kernels/types';
import { createNodeGpu, type NodeGpu } from './node-device';
import { GpuRuntime } from './runtime';

export interface TestGpu {
  readonly runtime: GpuRuntime;
  readonly node: NodeGpu;
}

/** Registers beforeAll/afterAll hooks; call the returned getter inside tests. */
export function useTestGpu(): () => TestGpu {
  let current: TestGpu | null = null;
  beforeAll(async () => {
    const node = await createNodeGpu();
    current = { node, runtime: new GpuRuntime(node.device) };
  });
  afterAll(() => {
    current?.node.destroy();
    current = null;
  });
  return () => {
    if (!current) throw new Error('test GPU not initialised');
    return current;
  };
}

/** Uploads values as f32 into a new storage buffer. */
export function upload(runtime: GpuRuntime, values: ArrayLike<number>): GPUBuffer {
  return runtime.createBuffer(Float32Array.from(values as ArrayLike<number>));
}

/** An output buffer for `count` f32 values. */
export function scratch(runtime: GpuRuntime, count: number): GPUBuffer {
  return runtime.createBuffer(count * 4);
}

/**
 * Specialises a kernel, uploads `inputs` (Uint32Array stays u32, anything else becomes f32),
 * allocates `outputs` (element counts, or initial contents for in-place buffers), dispatches once and
 * reads every output back.
 */
export async function runKernel<P>(
  runtime: GpuRuntime,
  def: KernelDef<P>,
  params: P,
  inputs: Readonly<Record<string, ArrayLike<number>>>,
  outputs: Readonly<Record<string, number | ArrayLike<number>>>,
  kernel = runtime.kernel(def, params),
): Promise<Record<string, Float32Array>> {
  const buffers: Record<string, GPUBuffer> = {};
  for (const [name, values] of Object.entries(inputs)) {
    buffers[name] = values instanceof Uint32Array ? runtime.createBuffer(values) : upload(runtime, values);
  }
  for (const [name, init] of Object.entries(outputs)) {
    buffers[name] = typeof init === 'number' ? scratch(runtime, init) : upload(runtime, init);
  }
  runtime.dispatch(kernel, buffers);
  const result: Record<string, Float32Array> = {};
  for (const name of Object.keys(outputs)) {
    result[name] = await runtime.readFloat32(buffers[name] as GPUBuffer);
  }
  return result;
}
