/**
 * The portable GPU runtime: buffers, pipeline cache, batched dispatch, async readback.
 * Deliberately not re-exported: node-device.ts and test-gpu.ts, which are Node-only.
 */
export * from './buffers';
export * from './pipeline-cache';
export * from './runtime';
