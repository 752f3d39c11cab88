import type { Shape } from '../graph/types';
import { accumulate } from '../kernels/elementwise';
import { copy } from '../kernels/copy';
import { kernelRegistry } from '../kernels/registry';
import type { AnyKernelDef, KernelDef } from '../kernels/types';
import type { ModelPlan, PlanNode } from '../model/plan';
import { paramName, type ParamRole } from '../model/param-specs';
import { sizeOf } from '../model/tensor';
import { EngineError } from './engine-error';
import type { Fusion } from './fusion';
import type { GradFlow } from './grad-flow';
import type { BufferKind, BufferRef, KernelCall, ParamSlot, PlanBuffer } from './plan-types';

/** Which call lists a forward dispatch belongs to. */
export type ForwardPhase = 'training' | 'inference' | 'both';

/** A place to write one gradient contribution; call done() right after the kernel that writes it. */
export interface GradSink {
  readonly ref: BufferRef;
  done(): void;
}

/**
 * Mutable state of one compilation: buffers, call lists, where every node's value and gradient
 * lives, and the packed parameter layout. Layer lowerings (./lower) talk to it only through these
 * methods, so buffer reuse and gradient accumulation rules live in one place.
 */
export class PlanBuilder {
  readonly buffers: PlanBuffer[] = [];
  readonly forward: KernelCall[] = [];
  readonly backward: KernelCall[] = [];
  readonly inference: KernelCall[] = [];
  readonly values = new Map<string, BufferRef>();
  private readonly grads = new Map<string, BufferRef>();
  private readonly seen = new Map<string, number>();
  private readonly scratchPool = new Map<number, { ref: BufferRef; busy: boolean }[]>();
  private readonly paramSlots = new Map<string, ParamSlot>();
  /** Packed byte offsets for trainable parameters, each aligned for binding as a sub-range. */
  readonly packedBytes: number;
  readonly paramsBuffer: number;
  readonly gradsBuffer: number;
  private dropoutCount = 0;
  seedUniform: number | undefined;

  constructor(
    readonly model: ModelPlan,
    readonly batch: number,
    readonly variant: 'tiled-shared' | 'cpu-friendly',
    readonly flow: GradFlow,
    readonly fusions: ReadonlyMap<string, Fusion>,
    alignment: number,
  ) {
    let offset = 0;
    const layout: { name: string; offset: number; bytes: number }[] = [];
    for (const spec of model.params) {
      if (!spec.trainable) continue;
      const bytes = sizeOf(spec.shape) * 4;
      layout.push({ name: spec.name, offset, bytes });
      offset += Math.ceil(bytes / alignment) * alignment;
    }
    this.packedBytes = Math.max(offset, 16);
    this.paramsBuffer = this.newBuffer('params', 'params', this.packedBytes).buffer;
    this.gradsBuffer = this.newBuffer('param-grads', 'param-grads', this.packedBytes).buffer;
    const byName = new Map(layout.map((l) => [l.name, l]));
    for (const spec of model.params) {
      const packed = byName.get(spec.name);
      if (packed) {
        this.paramSlots.set(spec.name, {
          name: spec.name,
          shape: spec.shape,
          trainable: true,
          ref: { buffer: this.paramsBuffer, offset: packed.offset, bytes: packed.bytes },
          gradRef: { buffer: this.gradsBuffer, offset: packed.offset, bytes: packed.bytes },
        });
      } else {
        this.paramSlots.set(spec.name, { name: spec.name, shape: spec.shape, trainable: false, ref: this.newBuffer('state', spec.name, sizeOf(spec.shape) * 4), gradRef: undefined });
      }
    }
  }

  get params(): ParamSlot[] {
    return [...this.paramSlots.values()];
  }

  newBuffer(kind: BufferKind, label: string, bytes: number): BufferRef {
    const id = this.buffers.length;
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    this.buffers.push({ id, label, kind, bytes: size });
    return { buffer: id, offset: 0, bytes: size };
  }

  /** A buffer of `count` f32 (or u32) values. */
  floats(kind: BufferKind, label: string, count: number): BufferRef {
    return this.newBuffer(kind, label, count * 4);
  }

  /** The kernel implementing an op in this plan's variant (matmul, column-sum, ...). */
  select<P>(op: string): KernelDef<P> {
    return kernelRegistry.select<P>(op, this.variant);
  }

  private push(list: KernelCall[], def: AnyKernelDef, params: unknown, bindings: Record<string, BufferRef>, nodeId: string | undefined): void {
    list.push({ def, params, bindings, nodeId });
  }

  forwardCall<P>(phase: ForwardPhase, def: KernelDef<P>, params: P, bindings: Record<string, BufferRef>, nodeId: string): void {
    const call: KernelCall = { def, params, bindings, nodeId };
    if (phase !== 'inference') this.forward.push(call);
    if (phase !== 'training') this.inference.push(call);
  }

  backwardCall<P>(def: KernelDef<P>, params: P, bindings: Record<string, BufferRef>, nodeId: string): void {
    this.push(this.backward, def, params, bindings, nodeId);
  }

  // --- values -------------------------------------------------------------------------------

  value(nodeId: string): BufferRef {
    const ref = this.values.get(nodeId);
    if (!ref) throw new EngineError('UNSUPPORTED_GRAPH', `No value was produced for node '${nodeId}' before it was used`, nodeId);
    return ref;
  }

  /** Value of a node's input port (by index). */
  inputValue(node: PlanNode, index = 0): BufferRef {
    const input = node.inputs[index];
    if (!input) throw new EngineError('UNSUPPORTED_GRAPH', `${node.type} '${node.id}' has no input ${index}`, node.id);
    return this.value(input.source);
  }

  /** Allocates the node's output buffer: batch × per-example shape. */
  newValue(node: PlanNode, shape: Shape = node.outputShape ?? []): BufferRef {
    const ref = this.floats('activation', node.id, this.batch * sizeOf(shape));
    this.values.set(node.id, ref);
    return ref;
  }

  setValue(nodeId: string, ref: BufferRef): void {
    this.values.set(nodeId, ref);
  }

  private readonly savedRefs = new Map<string, BufferRef>();

  /** A forward intermediate the backward needs (im2col columns, argmax, batch statistics, masks). */
  saved(nodeId: string, key: string, create?: () => BufferRef): BufferRef {
    const id = `${nodeId}\u0000${key}`;
    let ref = this.savedRefs.get(id);
    if (!ref && create) {
      ref = create();
      this.savedRefs.set(id, ref);
    }
    if (!ref) throw new EngineError('UNSUPPORTED_GRAPH', `Node '${nodeId}' has no saved '${key}'`, nodeId);
    return ref;
  }

  param(node: PlanNode, role: ParamRole): ParamSlot {
    const slot = this.paramSlots.get(paramName(node.id, role));
    if (!slot) throw new EngineError('UNSUPPORTED_GRAPH', `Parameter '${paramName(node.id, role)}' is not in the plan`, node.id);
    return slot;
  }

  hasParam(node: PlanNode, role: ParamRole): boolean {
    return this.paramSlots.has(paramName(node.id, role));
  }

  /** A fresh salt per Dropout layer, and the step-seed uniform they all read. */
  dropoutSalt(): { salt: number; seed: BufferRef } {
    this.seedUniform ??= this.newBuffer('uniform', 'dropout-seed', 16).buffer;
    return { salt: (this.dropoutCount++ * 0x9e3779b9) >>> 0, seed: { buffer: this.seedUniform, offset: 0, bytes: 16 } };
  }

  // --- metrics ------------------------------------------------------------------------------

  private metricsBuffer: BufferRef | undefined;
  private primaryLoss: string | undefined;

  /** [Σ loss, Σ correct, Σ samples, Σ steps], accumulated on the GPU between host reads. */
  metricsRef(): BufferRef {
    this.metricsBuffer ??= this.newBuffer('metrics', 'metrics', 16);
    return this.metricsBuffer;
  }

  /** The first loss lowered is the primary one: it counts samples, steps and accuracy. */
  claimPrimaryLoss(nodeId: string): boolean {
    this.primaryLoss ??= nodeId;
    return this.primaryLoss === nodeId;
  }

  // --- gradients ----------------------------------------------------------------------------

  needsGrad(nodeId: string): boolean {
    return this.flow.needsGrad.has(nodeId);
  }

  /** Gradient of a node's output; complete once every consumer's backward has been lowered. */
  grad(nodeId: string): BufferRef {
    const ref = this.grads.get(nodeId);
    if (!ref) throw new EngineError('UNSUPPORTED_GRAPH', `No gradient reaches node '${nodeId}'`, nodeId);
    return ref;
  }

  private gradBuffer(nodeId: string, count: number): BufferRef {
    let ref = this.grads.get(nodeId);
    if (!ref) {
      ref = this.floats('gradient', `d(${nodeId})`, count);
      this.grads.set(nodeId, ref);
    }
    return ref;
  }

  private nextContribution(nodeId: string): { first: boolean; only: boolean } {
    const n = (this.seen.get(nodeId) ?? 0) + 1;
    this.seen.set(nodeId, n);
    return { first: n === 1, only: (this.flow.contributions.get(nodeId) ?? 0) <= 1 };
  }

  /**
   * Where a kernel should write its contribution to d(source): the gradient buffer itself for the
   * first contribution, otherwise a scratch buffer that done() accumulates into it. `list` lets the
   * fused losses contribute from the forward pass.
   */
  gradSink(source: string, count: number, list: 'forward' | 'backward' = 'backward'): GradSink {
    const { first } = this.nextContribution(source);
    if (first) return { ref: this.gradBuffer(source, count), done: () => undefined };
    const scratch = this.acquireScratch(count);
    return {
      ref: scratch,
      done: () => {
        this.push(list === 'forward' ? this.forward : this.backward, accumulate, { count }, { x: scratch, y: this.grad(source) }, source);
        this.releaseScratch(scratch);
      },
    };
  }

  /**
   * An identity contribution (Flatten, Reshape, Add): alias the gradient buffer when it is the
   * tensor's only contribution (nothing will ever write it again), copy it when it is the first of
   * several, accumulate otherwise.
   */
  passGrad(source: string, from: BufferRef, count: number, nodeId: string): void {
    const { first, only } = this.nextContribution(source);
    if (first && only && !this.grads.has(source)) {
      this.grads.set(source, from);
      return;
    }
    const target = this.gradBuffer(source, count);
    this.backwardCall(first ? copy : accumulate, { count }, { x: from, y: target }, nodeId);
  }

  /** Scratch buffers are pooled by size; a buffer is reused once released. */
  acquireScratch(count: number): BufferRef {
    const bytes = Math.max(4, count * 4);
    const pool = this.scratchPool.get(bytes) ?? [];
    this.scratchPool.set(bytes, pool);
    const free = pool.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return free.ref;
    }
    const ref = this.newBuffer('scratch', `scratch-${pool.length}-${count}`, bytes);
    pool.push({ ref, busy: true });
    return ref;
  }

  releaseScratch(ref: BufferRef): void {
    for (const pool of this.scratchPool.values()) {
      const entry = pool.find((s) => s.ref.buffer === ref.buffer);
      if (entry) entry.busy = false;
    }
  }
}
