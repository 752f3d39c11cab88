import { capsFromLimits, type DeviceCaps } from '../kernels/caps';
import type { Grid } from '../kernels/grid';
import { specialise, type KernelDef, type KernelInstance } from '../kernels/types';
import { createStorageBuffer, createUniformBuffer, readBuffer, type HostData } from './buffers';
import { PipelineCache, type CachedPipeline } from './pipeline-cache';

export type Bindings = Readonly<Record<string, GPUBuffer>>;

/**
 * A thin runtime over one GPUDevice: it specialises kernels for the device's limits, caches their
 * pipelines, and records dispatches into one open compute pass so a whole training step is a single
 * submit. Work is submitted on flush(), before any host write (so writes cannot overtake recorded
 * work that reads the old contents) and before readback.
 *
 * Validation errors (a bad shader, a binding mismatch) are caught in error scopes and rethrown,
 * naming the kernel, from the next finish() or readback().
 */
export class GpuRuntime {
  readonly caps: DeviceCaps;
  readonly pipelines: PipelineCache;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private recorded = 0;
  private readonly instances = new Map<string, KernelInstance>();
  private pendingChecks: Promise<void>[] = [];
  private errors: string[] = [];
  /** Dispatches submitted so far (for tests and benchmarks). */
  dispatchCount = 0;
  submitCount = 0;

  constructor(readonly device: GPUDevice) {
    this.caps = capsFromLimits(device.limits);
    this.pipelines = new PipelineCache(device);
  }

  /** The kernel specialised for `params` on this device; memoised because generating WGSL is not free. */
  kernel<P>(def: KernelDef<P>, params: P): KernelInstance {
    const id = `${def.name}|${JSON.stringify(params)}`;
    let instance = this.instances.get(id);
    if (!instance) {
      instance = specialise(def, params, this.caps);
      this.instances.set(id, instance);
    }
    return instance;
  }

  /** Compiles a kernel's pipeline asynchronously ahead of its first dispatch. */
  async prepare(kernel: KernelInstance): Promise<void> {
    try {
      await this.pipelines.prepare(kernel);
    } catch (e) {
      throw new Error(`kernel ${kernel.name} failed to compile: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A bind group for the kernel, binding buffers by the names in its metadata. Reuse it across steps. */
  bindGroup(kernel: KernelInstance, bindings: Bindings): GPUBindGroup {
    const missing = kernel.bindings.filter((b) => !bindings[b.name]).map((b) => b.name);
    if (missing.length > 0) throw new Error(`kernel ${kernel.name} is missing bindings: ${missing.join(', ')}`);
    const extra = Object.keys(bindings).filter((name) => !kernel.bindings.some((b) => b.name === name));
    if (extra.length > 0) throw new Error(`kernel ${kernel.name} has no bindings named: ${extra.join(', ')}`);
    const { layout } = this.pipelineFor(kernel);
    return this.checked(kernel, () =>
      this.device.createBindGroup({
        label: kernel.name,
        layout,
        entries: kernel.bindings.map((b, binding) => ({ binding, resource: { buffer: bindings[b.name] as GPUBuffer } })),
      }),
    );
  }

  /** Records one dispatch; nothing runs until flush(), finish() or readback(). */
  dispatch(kernel: KernelInstance, bindings: Bindings | GPUBindGroup, workgroups: Grid = kernel.workgroups): void {
    const group = isBindGroup(bindings) ? bindings : this.bindGroup(kernel, bindings);
    const { pipeline } = this.pipelineFor(kernel);
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (!this.pass) this.pass = this.encoder.beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    // Each dispatch is its own usage scope, so storage writes are visible to the next dispatch.
    this.pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.recorded++;
  }

  /** Submits everything recorded so far as one command buffer. */
  flush(): void {
    if (!this.encoder) return;
    this.pass?.end();
    const commands = this.encoder.finish();
    this.pass = null;
    this.encoder = null;
    this.checked({ name: `submit of ${this.recorded} dispatches` }, () => this.device.queue.submit([commands]));
    this.dispatchCount += this.recorded;
    this.submitCount++;
    this.recorded = 0;
  }

  /** Submits and waits until the GPU has finished; throws any validation error seen so far. */
  async finish(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.throwErrors();
  }

  createBuffer(sizeOrData: number | HostData, label?: string): GPUBuffer {
    return createStorageBuffer(this.device, sizeOrData, label);
  }

  createUniform(sizeOrData: number | HostData, label?: string): GPUBuffer {
    return createUniformBuffer(this.device, sizeOrData, label);
  }

  /** Writes host data into a buffer after all previously recorded dispatches. */
  write(buffer: GPUBuffer, data: HostData, byteOffset = 0): void {
    this.flush();
    this.device.queue.writeBuffer(buffer, byteOffset, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Runs recorded work and copies the buffer back. */
  async readback(buffer: GPUBuffer, byteLength = buffer.size): Promise<ArrayBuffer> {
    this.flush();
    const data = await readBuffer(this.device, buffer, byteLength);
    await this.throwErrors();
    return data;
  }

  async readFloat32(buffer: GPUBuffer, count = buffer.size / 4): Promise<Float32Array> {
    return new Float32Array(await this.readback(buffer, count * 4));
  }

  private pipelineFor(kernel: KernelInstance): CachedPipeline {
    if (this.pipelines.has(kernel)) return this.pipelines.get(kernel);
    return this.checked(kernel, () => this.pipelines.get(kernel));
  }

  private checked<T>(kernel: { name: string }, action: () => T): T {
    this.device.pushErrorScope('validation');
    const result = action();
    this.pendingChecks.push(
      this.device.popErrorScope().then((error) => {
        if (error) this.errors.push(`${kernel.name}: ${error.message}`);
      }),
    );
    return result;
  }

  private async throwErrors(): Promise<void> {
    const checks = this.pendingChecks;
    this.pendingChecks = [];
    await Promise.all(checks);
    if (this.errors.length > 0) {
      const message = this.errors.join('\n');
      this.errors = [];
      throw new Error(`WebGPU validation failed:\n${message}`);
    }
  }
}

function isBindGroup(b: Bindings | GPUBindGroup): b is GPUBindGroup {
  return typeof GPUBindGroup !== 'undefined' && b instanceof GPUBindGroup;
}
