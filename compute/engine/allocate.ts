import { createStorageBuffer, createUniformBuffer } from '../gpu/buffers';
import { EngineError } from './engine-error';
import type { ExecutionPlan, PlanBuffer } from './plan-types';

const MiB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(bytes < MiB ? 3 : 1)} MiB`;
}

/**
 * Checks every buffer of a plan against the device's limits before anything is allocated, so an
 * oversized model fails with one clear message instead of a validation error mid-step.
 */
export function checkBufferLimits(plan: Pick<ExecutionPlan, 'buffers' | 'batch'>, limits: GPUSupportedLimits): void {
  for (const buffer of plan.buffers) {
    const bindingLimit = buffer.kind === 'uniform' ? limits.maxUniformBufferBindingSize : limits.maxStorageBufferBindingSize;
    const limit = Math.min(bindingLimit, limits.maxBufferSize);
    if (buffer.bytes > limit) {
      const which = buffer.bytes > limits.maxBufferSize ? 'maxBufferSize' : buffer.kind === 'uniform' ? 'maxUniformBufferBindingSize' : 'maxStorageBufferBindingSize';
      const hint = ['params', 'param-grads', 'optimizer', 'state'].includes(buffer.kind)
        ? 'use fewer or smaller layers'
        : `reduce the batch size (now ${plan.batch}) or the layer's size`;
      throw new EngineError(
        'BUFFER_TOO_LARGE',
        `Buffer '${buffer.label}' needs ${mib(buffer.bytes)} but this device's ${which} is ${mib(limit)}; ${hint}`,
      );
    }
  }
}

/** All GPU buffers of a plan, created once (zero-filled) and indexed by PlanBuffer.id. */
export function allocateBuffers(device: GPUDevice, plan: Pick<ExecutionPlan, 'buffers' | 'batch'>): GPUBuffer[] {
  checkBufferLimits(plan, device.limits);
  return plan.buffers.map((b: PlanBuffer) =>
    b.kind === 'uniform' ? createUniformBuffer(device, b.bytes, b.label) : createStorageBuffer(device, b.bytes, b.label),
  );
}

export function totalBytes(plan: Pick<ExecutionPlan, 'buffers'>): number {
  return plan.buffers.reduce((sum, b) => sum + b.bytes, 0);
}
