/**
 * The WebGPU training engine: compiles a validated graph into an execution plan (./compile), allocates
 * its buffers once, and runs training steps as single submits (./gpu-engine). Takes a GPUDevice; runs
 * unchanged in a tab, a worker, or Node through Dawn.
 */
export { EngineError, type EngineErrorCode } from './engine-error';
export type { BufferKind, BufferRef, ExecutionPlan, KernelCall, LossInfo, ParamSlot, PlanBuffer } from './plan-types';
export { compilePlan, type CompileOptions } from './compile';
export { analyseGradFlow, type GradFlow } from './grad-flow';
export { findFusions, type Fusion } from './fusion';
export { checkBufferLimits, totalBytes } from './allocate';
export { resolveFeed, type EngineBatch } from './feed';
export { GpuEngine, type EngineOptions, type MetricsWindow } from './gpu-engine';
