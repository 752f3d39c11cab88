import type { BindingKind, KernelInstance } from '../kernels/types';

/**
 * Compiled pipelines keyed by kernel name + specialisation (KernelInstance.key). Training runs the
 * same few kernels thousands of times; compiling once per shape is what keeps steps cheap.
 * Layouts are explicit, built from the kernel's binding metadata, so a bind group is checked against
 * what the kernel declares rather than what the compiler happened to keep.
 */
export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

const BUFFER_TYPE: Record<BindingKind, GPUBufferBindingType> = {
  'read-only-storage': 'read-only-storage',
  storage: 'storage',
  uniform: 'uniform',
};

export class PipelineCache {
  private readonly pipelines = new Map<string, CachedPipeline>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  has(kernel: KernelInstance): boolean {
    return this.pipelines.has(kernel.key);
  }

  get(kernel: KernelInstance): CachedPipeline {
    const cached = this.pipelines.get(kernel.key);
    if (cached) return cached;
    const created = this.create(kernel);
    this.pipelines.set(kernel.key, created);
    return created;
  }

  /** Compiles off the critical path (createComputePipelineAsync); rejects with the compiler's message. */
  async prepare(kernel: KernelInstance): Promise<CachedPipeline> {
    const cached = this.pipelines.get(kernel.key);
    if (cached) return cached;
    const layout = this.layoutFor(kernel);
    const pipeline = await this.device.createComputePipelineAsync(this.descriptor(kernel, layout));
    const created = { pipeline, layout };
    this.pipelines.set(kernel.key, created);
    return created;
  }

  private create(kernel: KernelInstance): CachedPipeline {
    const layout = this.layoutFor(kernel);
    return { pipeline: this.device.createComputePipeline(this.descriptor(kernel, layout)), layout };
  }

  private layoutFor(kernel: KernelInstance): GPUBindGroupLayout {
    return this.device.createBindGroupLayout({
      label: kernel.name,
      entries: kernel.bindings.map((b, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: BUFFER_TYPE[b.kind] },
      })),
    });
  }

  private descriptor(kernel: KernelInstance, layout: GPUBindGroupLayout): GPUComputePipelineDescriptor {
    return {
      label: kernel.name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module: this.device.createShaderModule({ code: kernel.code, label: kernel.name }), entryPoint: kernel.entryPoint },
    };
  }
}
