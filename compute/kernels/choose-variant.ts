import type { KernelVariant } from './types';

/** What an adapter tells us about itself (GPUAdapterInfo's fields, all optional for portability). */
export interface AdapterDescription {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

const CPU_ADAPTER = /swiftshader|llvmpipe|lavapipe|\bcpu\b|software|warp|basic render/i;

/**
 * Which kernel family suits an adapter. CPU-backed adapters (SwiftShader, llvmpipe/lavapipe, WARP,
 * or anything reported as a fallback adapter) run barrier-free register-blocked kernels about ten
 * times faster than workgroup-shared-memory tiling; real GPUs need the tiled kernels.
 */
export function chooseVariant(info: AdapterDescription | undefined, isFallbackAdapter = false): Exclude<KernelVariant, 'portable'> {
  if (isFallbackAdapter) return 'cpu-friendly';
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' ');
  return CPU_ADAPTER.test(text) ? 'cpu-friendly' : 'tiled-shared';
}
