/** A WebGPU adapter Dawn finds on this machine. */
export interface WebgpuAdapter {
  vendor: string;
  architecture: string;
  description: string;
  /** True for software adapters (SwiftShader): they run kernels on the CPU. */
  isFallback: boolean;
  limits: Record<string, number>;
}

const MAX_LIMITS = 64;

/**
 * The adapters Dawn offers for each power preference and the forced fallback, deduplicated.
 * Dawn keeps Node alive while its instance is referenced, so it is dropped before returning.
 */
export async function probeWebgpuAdapters(): Promise<WebgpuAdapter[]> {
  // Loaded on demand: Dawn's native module is only needed when looking at adapters.
  const { prepareDawnEnvironment } = await import('../compute/gpu/node-device');
  prepareDawnEnvironment();
  const { create } = await import('webgpu');
  let gpu: GPU | null = create(['backend=vulkan']);
  const found = new Map<string, WebgpuAdapter>();
  try {
    for (const options of [{ powerPreference: 'high-performance' }, { powerPreference: 'low-power' }, { forceFallbackAdapter: true }] as GPURequestAdapterOptions[]) {
      const adapter = await gpu.requestAdapter(options).catch(() => null);
      if (!adapter) continue;
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean; device?: string };
      const key = [info.vendor, info.architecture, info.device ?? '', info.description].join('|');
      if (found.has(key)) continue;
      const limits: Record<string, number> = {};
      for (const name in adapter.limits) {
        const value = (adapter.limits as unknown as Record<string, unknown>)[name];
        if (typeof value === 'number' && Number.isFinite(value) && Object.keys(limits).length < MAX_LIMITS) limits[name] = value;
      }
      found.set(key, {
        vendor: info.vendor.slice(0, 200),
        architecture: info.architecture.slice(0, 200),
        description: info.description.slice(0, 200),
        isFallback: Boolean(info.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter),
        limits,
      });
    }
  } finally {
    gpu = null;
  }
  return [...found.values()];
}
