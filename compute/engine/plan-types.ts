import type { AnyKernelDef } from '../kernels/types';
import type { OptimizerConfig } from '../layers/optimizers';
import type { LrSchedule } from '../layers/lr-schedules';
import type { ModelPlan } from '../model/plan';

/**
 * The execution plan: what the compiler produces from a validated graph and the allocator turns
 * into GPU buffers and bind groups once. Everything here is plain data (no GPU objects), so the
 * plan can be inspected and tested without a device.
 */
export type BufferKind =
  /** Features or labels written from the host every step. */
  | 'input'
  /** A node's output (or a kernel's saved intermediate such as im2col columns or an argmax). */
  | 'activation'
  /** Gradient of a node's output. */
  | 'gradient'
  /** Scratch for a second gradient contribution before it is accumulated. */
  | 'scratch'
  /** All trainable parameters, packed. */
  | 'params'
  /** All parameter gradients, packed like params. */
  | 'param-grads'
  /** Optimizer slots (velocity, m, v), packed like params. */
  | 'optimizer'
  /** A non-trainable parameter buffer (BatchNorm running statistics). */
  | 'state'
  /** Per-loss row losses and the metrics accumulator. */
  | 'metrics'
  /** Per-step scalars written from the host (optimizer hyperparameters, dropout seed). */
  | 'uniform';

export interface PlanBuffer {
  readonly id: number;
  readonly label: string;
  readonly kind: BufferKind;
  readonly bytes: number;
}

/** A binding: a whole buffer or a byte range of a packed one. */
export interface BufferRef {
  readonly buffer: number;
  readonly offset: number;
  readonly bytes: number;
}

export interface KernelCall {
  readonly def: AnyKernelDef;
  readonly params: unknown;
  readonly bindings: Readonly<Record<string, BufferRef>>;
  /** The graph node this dispatch belongs to (for errors and profiling); undefined for the optimizer. */
  readonly nodeId: string | undefined;
}

/** Where a parameter lives: a range of the packed params buffer (trainable) or its own state buffer. */
export interface ParamSlot {
  readonly name: string;
  readonly shape: readonly number[];
  readonly trainable: boolean;
  readonly ref: BufferRef;
  /** Same range of the param-grads buffer (trainable only). */
  readonly gradRef: BufferRef | undefined;
}

export interface LossInfo {
  readonly nodeId: string;
  readonly type: 'SoftmaxCrossEntropy' | 'MSE';
  /** Node whose output the loss scores. */
  readonly source: string;
  /** Values per example of the scored tensor (classes for cross-entropy). */
  readonly width: number;
  readonly labelsNode: string;
}

export interface ExecutionPlan {
  readonly model: ModelPlan;
  /** Examples per step; kernels are specialised for it, so every step and evaluation uses it. */
  readonly batch: number;
  readonly variant: 'tiled-shared' | 'cpu-friendly';
  readonly optimizer: OptimizerConfig;
  readonly schedule: LrSchedule;
  readonly buffers: readonly PlanBuffer[];
  /** Input nodes → their feature buffer; Labels nodes → their label buffer (u32 class indices or f32). */
  readonly inputs: ReadonlyMap<string, { ref: BufferRef; perExample: number }>;
  readonly labels: ReadonlyMap<string, { ref: BufferRef; perExample: number; encoding: 'class-index' | 'values' }>;
  /** Value buffer of each node with an output (aliases share a buffer). */
  readonly values: ReadonlyMap<string, BufferRef>;
  readonly params: readonly ParamSlot[];
  readonly losses: readonly LossInfo[];
  /** Training step: forward (training mode) + losses + metrics, backward, then the optimizer update. */
  readonly forward: readonly KernelCall[];
  readonly backward: readonly KernelCall[];
  readonly update: readonly KernelCall[];
  /** Inference forward (BatchNorm uses running statistics, Dropout is the identity); no losses. */
  readonly inference: readonly KernelCall[];
  /** Packed buffers and the per-step uniforms. */
  readonly packed: {
    readonly params: number;
    readonly grads: number;
    readonly slots: Readonly<Record<string, number>>;
    readonly hyper: number;
    readonly seed: number | undefined;
    readonly metrics: number;
  };
}
