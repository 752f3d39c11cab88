/**
 * The device limits kernel generators size themselves by. Taken from GPUDevice.limits so nothing
 * assumes more than the device grants; the WebGPU-guaranteed minimums (64 invocations, 16 KiB of
 * workgroup memory) are the only sizes a kernel may rely on without asking.
 */
export interface DeviceCaps {
  readonly maxWorkgroupSizeX: number;
  readonly maxWorkgroupSizeY: number;
  readonly maxInvocationsPerWorkgroup: number;
  readonly maxWorkgroupStorageBytes: number;
  readonly maxWorkgroupsPerDimension: number;
  readonly maxStorageBufferBindingSize: number;
}

/** The limits every WebGPU implementation (including compatibility mode) provides. */
export const MINIMUM_CAPS: DeviceCaps = {
  maxWorkgroupSizeX: 128,
  maxWorkgroupSizeY: 128,
  maxInvocationsPerWorkgroup: 64,
  maxWorkgroupStorageBytes: 16384,
  maxWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 128 * 1024 * 1024,
};

/** Reads the relevant limits from a device (or adapter) limits object. */
export function capsFromLimits(limits: GPUSupportedLimits): DeviceCaps {
  return {
    maxWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
    maxWorkgroupSizeY: limits.maxComputeWorkgroupSizeY,
    maxInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    maxWorkgroupStorageBytes: limits.maxComputeWorkgroupStorageSize,
    maxWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
  };
}

/** Largest 1-D workgroup not above `preferred` that the device allows (never below 64). */
export function linearWorkgroupSize(caps: DeviceCaps, preferred = 256): number {
  return Math.max(64, Math.min(preferred, caps.maxInvocationsPerWorkgroup, caps.maxWorkgroupSizeX));
}

/** Largest square 2-D workgroup side (16 or 8) that fits the invocation and per-axis limits. */
export function squareWorkgroupSide(caps: DeviceCaps, preferred = 16): number {
  for (const side of [preferred, 16, 8]) {
    if (side <= preferred && side * side <= caps.maxInvocationsPerWorkgroup && side <= caps.maxWorkgroupSizeX && side <= caps.maxWorkgroupSizeY) {
      return side;
    }
  }
  return 8;
}
