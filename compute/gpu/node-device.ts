/**
 * Node-only: a GPUDevice from Dawn (npm `webgpu`) for tests, benchmarks and the node-runner.
 * Library code never imports this file; it takes a GPUDevice from whoever created it.
 *
 * Without a GPU, Dawn needs SwiftShader's Vulkan ICD (Mesa lavapipe lacks a required feature);
 * Debian's chromium package ships one. VK_ICD_FILENAMES overrides the default path.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create, globals } from 'webgpu';

export const DEFAULT_VK_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * The environment Dawn needs before its instance is made: SwiftShader's ICD unless one is named,
 * and a private XDG_RUNTIME_DIR where none is set (services and containers often have none; Dawn's
 * windowing probe then prints "XDG_RUNTIME_DIR is invalid" on every start, which reads as an error).
 */
export function prepareDawnEnvironment(): void {
  process.env.VK_ICD_FILENAMES ??= DEFAULT_VK_ICD;
  process.env.XDG_RUNTIME_DIR ||= mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-xdg-'));
}

export interface NodeGpu {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly adapterInfo: GPUAdapterInfo;
  readonly isFallbackAdapter: boolean;
  /**
   * Destroys the device and drops the Dawn instance. Dawn keeps Node's event loop alive while the
   * object returned by create() is referenced, so tests call this in afterAll and scripts before exit.
   */
  destroy(): void;
}

export interface NodeGpuOptions {
  /** Dawn toggles passed to create(); defaults to the Vulkan backend. */
  readonly dawnOptions?: readonly string[];
  readonly powerPreference?: GPUPowerPreference;
  /** Ask for the adapter's maximum limits instead of the WebGPU defaults (e.g. larger workgroups). */
  readonly adapterLimits?: boolean;
}

export async function createNodeGpu(options: NodeGpuOptions = {}): Promise<NodeGpu> {
  prepareDawnEnvironment();
  // Library code uses the standard globals (GPUBufferUsage, GPUMapMode, ...), as in a browser.
  Object.assign(globalThis, globals);
  let gpu: GPU | null = create([...(options.dawnOptions ?? ['backend=vulkan'])]);
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference });
  if (!adapter) {
    gpu = null;
    throw new Error(
      `Dawn found no WebGPU adapter. Without a GPU, set VK_ICD_FILENAMES to SwiftShader's Vulkan ICD (default ${DEFAULT_VK_ICD}; currently ${process.env.VK_ICD_FILENAMES}).`,
    );
  }
  const requiredLimits: Record<string, number> = {};
  if (options.adapterLimits) {
    for (const name of [
      'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeInvocationsPerWorkgroup',
      'maxComputeWorkgroupStorageSize', 'maxStorageBufferBindingSize', 'maxBufferSize',
    ] as const) {
      requiredLimits[name] = adapter.limits[name];
    }
  }
  const device = await adapter.requestDevice({ requiredLimits });
  const info = adapter.info;
  // Older Dawn builds expose isFallbackAdapter on the adapter, newer ones on adapter.info.
  const fallback = Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter
    ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return {
    adapter,
    device,
    adapterInfo: info,
    isFallbackAdapter: fallback,
    destroy() {
      device.destroy();
      gpu = null;
    },
  };
}
