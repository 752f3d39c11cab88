/**
 * Buffer helpers. Buffers that kernels use are STORAGE | COPY_SRC | COPY_DST so any of them can be
 * written from the host, read back, or copied; uniforms hold per-step scalars such as the learning rate.
 */
export type HostData = Float32Array | Uint32Array | Int32Array;

/** WebGPU buffer sizes must be multiples of 4 and non-zero. */
function paddedSize(bytes: number): number {
  return Math.max(4, Math.ceil(bytes / 4) * 4);
}

function createWith(device: GPUDevice, usage: GPUBufferUsageFlags, sizeOrData: number | HostData, label?: string): GPUBuffer {
  if (typeof sizeOrData === 'number') {
    if (!Number.isInteger(sizeOrData) || sizeOrData < 0) throw new RangeError(`buffer size must be a byte count, got ${sizeOrData}`);
    return device.createBuffer({ size: paddedSize(sizeOrData), usage, label });
  }
  // mappedAtCreation fills the buffer before any queued work can observe it, independent of queue order.
  const buffer = device.createBuffer({ size: paddedSize(sizeOrData.byteLength), usage, mappedAtCreation: true, label });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(sizeOrData.buffer, sizeOrData.byteOffset, sizeOrData.byteLength));
  buffer.unmap();
  return buffer;
}

/** A storage buffer of `bytes` (zero-filled) or initialised from host data. */
export function createStorageBuffer(device: GPUDevice, sizeOrData: number | HostData, label?: string): GPUBuffer {
  return createWith(device, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST, sizeOrData, label);
}

/** A uniform buffer (size rounded to 16 bytes as WGSL uniform structs require). */
export function createUniformBuffer(device: GPUDevice, sizeOrData: number | HostData, label?: string): GPUBuffer {
  const usage = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
  if (typeof sizeOrData === 'number') return createWith(device, usage, Math.ceil(sizeOrData / 16) * 16, label);
  const padded = new Uint8Array(Math.max(16, Math.ceil(sizeOrData.byteLength / 16) * 16));
  padded.set(new Uint8Array(sizeOrData.buffer, sizeOrData.byteOffset, sizeOrData.byteLength));
  return createWith(device, usage, new Uint32Array(padded.buffer), label);
}

/**
 * Copies `byteLength` bytes of a buffer to the host. Asynchronous: it waits for the GPU, never blocks.
 * The caller must have submitted the work that produces the data (GpuRuntime.readback does).
 */
export async function readBuffer(device: GPUDevice, source: GPUBuffer, byteLength = source.size, byteOffset = 0): Promise<ArrayBuffer> {
  const size = paddedSize(byteLength);
  const staging = device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'readback' });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(source, byteOffset, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange(0, size).slice(0, byteLength);
  } finally {
    staging.destroy();
  }
}
