import type { Graph } from '../graph/types';
import { GpuRuntime } from '../gpu/runtime';
import { chooseVariant } from '../kernels/choose-variant';
import { dropoutSeedUniform } from '../kernels/dropout-random';
import { adamUniforms, sgdUniforms } from '../kernels/optimizers';
import type { KernelInstance } from '../kernels/types';
import { learningRateAt, LrScheduleSchema } from '../layers/lr-schedules';
import { OptimizerSchema } from '../layers/optimizers';
import { checkParameters } from '../model/check-parameters';
import { initParameters } from '../model/init';
import type { OptimizerSlot, OptimizerState } from '../model/optimizer';
import { buildModelPlan, type ModelPlan } from '../model/plan';
import type { FloatArray, ParameterSet } from '../model/tensor';
import type { z } from 'zod';
import { allocateBuffers, totalBytes } from './allocate';
import { compilePlan } from './compile';
import { EngineError } from './engine-error';
import { resolveFeed, type EngineBatch } from './feed';
import type { BufferRef, ExecutionPlan, KernelCall } from './plan-types';

export interface EngineOptions {
  /** Examples per training step (and per inference chunk). */
  readonly batchSize: number;
  readonly optimizer: z.input<typeof OptimizerSchema>;
  readonly schedule?: z.input<typeof LrScheduleSchema>;
  /** Seeds the initial weights (compute/model's initParameters) and the dropout masks. */
  readonly seed?: number;
  /** Start from these weights instead of a fresh initialisation. */
  readonly params?: ParameterSet;
  /** Resume the optimizer (slots and step count), e.g. from a checkpoint. */
  readonly optimizerState?: OptimizerState;
  /** Kernel family; by default chosen from the device's adapter info (barrier-free on CPU adapters). */
  readonly variant?: 'tiled-shared' | 'cpu-friendly';
}

/** Metrics accumulated on the GPU since the previous read. */
export interface MetricsWindow {
  readonly steps: number;
  readonly samples: number;
  /** Mean of the step losses (sum over losses), or NaN when no step ran. */
  readonly loss: number;
  /** Fraction of correct arg-max predictions of the primary classification loss, else undefined. */
  readonly accuracy: number | undefined;
}

interface Dispatch {
  readonly kernel: KernelInstance;
  readonly group: GPUBindGroup;
}

/** The device's adapter info, where the implementation exposes it (GPUDevice.adapterInfo is recent). */
function deviceVariant(device: GPUDevice): 'tiled-shared' | 'cpu-friendly' {
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).adapterInfo;
  return chooseVariant(info, Boolean(info?.isFallbackAdapter));
}

/**
 * The WebGPU training engine: one compiled plan, buffers and bind groups allocated once, and a
 * training step that is a single submit with no readback (host writes for the batch and the
 * per-step uniforms, then forward, fused loss, backward and one fused optimizer dispatch).
 * Metrics accumulate on the GPU; readMetrics() fetches and resets them asynchronously.
 */
export class GpuEngine {
  readonly runtime: GpuRuntime;
  private readonly gpuBuffers: GPUBuffer[];
  private readonly trainDispatches: Dispatch[];
  private readonly inferenceDispatches: Dispatch[];
  private readonly seed: number;
  private destroyed = false;
  /** Optimizer steps taken (the next step's learning rate is the schedule at this step). */
  step = 0;

  private constructor(readonly plan: ExecutionPlan, runtime: GpuRuntime, buffers: GPUBuffer[], train: Dispatch[], inference: Dispatch[], seed: number) {
    this.runtime = runtime;
    this.gpuBuffers = buffers;
    this.trainDispatches = train;
    this.inferenceDispatches = inference;
    this.seed = seed;
  }

  static async create(target: GPUDevice | GpuRuntime, graph: Graph | ModelPlan, options: EngineOptions): Promise<GpuEngine> {
    const runtime = target instanceof GpuRuntime ? target : new GpuRuntime(target);
    const device = runtime.device;
    const model = 'byId' in graph ? graph : buildModelPlan(graph);
    const optimizer = OptimizerSchema.parse(options.optimizer);
    const schedule = LrScheduleSchema.parse(options.schedule ?? { type: 'constant' });
    const plan = compilePlan(model, {
      batch: options.batchSize,
      variant: options.variant ?? deviceVariant(device),
      optimizer,
      schedule,
      alignment: device.limits.minStorageBufferOffsetAlignment,
    });
    const buffers = allocateBuffers(device, plan);

    const instances = new Map<string, KernelInstance>();
    const instanceOf = (call: KernelCall): KernelInstance => {
      const kernel = runtime.kernel(call.def, call.params);
      instances.set(kernel.key, kernel);
      return kernel;
    };
    const all = [...plan.forward, ...plan.backward, ...plan.update, ...plan.inference];
    for (const call of all) instanceOf(call);
    // Compile every pipeline up front, concurrently, so the first step does not stall on them.
    await Promise.all([...instances.values()].map((k) => runtime.prepare(k)));

    device.pushErrorScope('validation');
    const groups = new Map<KernelCall, Dispatch>();
    const dispatchOf = (call: KernelCall): Dispatch => {
      let d = groups.get(call);
      if (!d) {
        const kernel = instanceOf(call);
        d = { kernel, group: createBindGroup(device, runtime, kernel, call, buffers) };
        groups.set(call, d);
      }
      return d;
    };
    const train = [...plan.forward, ...plan.backward, ...plan.update].map(dispatchOf);
    const inference = plan.inference.map(dispatchOf);
    const error = await device.popErrorScope();
    if (error) {
      for (const b of buffers) b.destroy();
      throw new Error(`WebGPU rejected the engine's bind groups: ${error.message}`);
    }

    const seed = options.seed ?? 0;
    const engine = new GpuEngine(plan, runtime, buffers, train, inference, seed);
    engine.setParameters(options.params ?? initParameters(model, { seed }));
    if (options.optimizerState) engine.setOptimizerState(options.optimizerState);
    return engine;
  }

  get batchSize(): number {
    return this.plan.batch;
  }

  /** Learning rate the next step will use. */
  get learningRate(): number {
    return learningRateAt(this.plan.schedule, this.plan.optimizer.lr, this.step);
  }

  /** Sizes for diagnostics and benchmarks. */
  get stats(): { dispatchesPerStep: number; pipelines: number; buffers: number; bytes: number } {
    return {
      dispatchesPerStep: this.trainDispatches.length,
      pipelines: new Set([...this.trainDispatches, ...this.inferenceDispatches].map((d) => d.kernel.key)).size,
      buffers: this.gpuBuffers.length,
      bytes: totalBytes(this.plan),
    };
  }

  /**
   * Records and submits one training step. Returns without waiting for the GPU; the learning rate
   * used is returned for reporting.
   */
  trainStep(batch: EngineBatch): number {
    this.checkAlive();
    const feed = resolveFeed(this.plan, batch, true);
    if (feed.size !== this.plan.batch) {
      throw new EngineError('BAD_BATCH', `Training steps take exactly ${this.plan.batch} examples (got ${feed.size}); drop or pad the last partial batch`);
    }
    this.writeFeed(feed.inputs, feed.labels);
    const lr = this.learningRate;
    const config = this.plan.optimizer;
    const hyper = config.type === 'sgd'
      ? sgdUniforms({ lr, momentum: config.momentum, weightDecay: config.weightDecay })
      : adamUniforms({ lr, beta1: config.beta1, beta2: config.beta2, eps: config.eps, weightDecay: config.weightDecay }, this.step + 1);
    this.runtime.write(this.buffer(this.plan.packed.hyper), hyper);
    if (this.plan.packed.seed !== undefined) this.runtime.write(this.buffer(this.plan.packed.seed), dropoutSeedUniform(mixStep(this.seed, this.step)));
    for (const d of this.trainDispatches) this.runtime.dispatch(d.kernel, d.group);
    this.runtime.flush();
    this.step++;
    return lr;
  }

  /**
   * Reads and resets the GPU metrics accumulator. The copy is queued immediately (after the steps
   * submitted so far), so awaiting the result never delays steps submitted afterwards.
   */
  readMetrics(): Promise<MetricsWindow> {
    this.checkAlive();
    const metrics = this.buffer(this.plan.packed.metrics);
    const pending = this.runtime.readback(metrics, 16);
    this.runtime.write(metrics, new Float32Array(4));
    const classification = this.plan.losses[0]?.type === 'SoftmaxCrossEntropy';
    return pending.then((bytes) => {
      const [lossSum = 0, correct = 0, samples = 0, steps = 0] = new Float32Array(bytes);
      return { steps, samples, loss: steps > 0 ? lossSum / steps : Number.NaN, accuracy: classification && samples > 0 ? correct / samples : undefined };
    });
  }

  /**
   * Inference-mode outputs of the primary loss's scored tensor (logits or predictions) for `count`
   * examples, run in chunks of the batch size (the last chunk zero-padded) so no kernel is
   * re-specialised. All chunks are queued before the first result is awaited.
   */
  async predict(features: Float32Array, count: number): Promise<Float32Array> {
    this.checkAlive();
    const primary = this.plan.losses[0]!;
    const input = [...this.plan.inputs.values()][0]!;
    if (this.plan.inputs.size !== 1) throw new EngineError('BAD_BATCH', 'predict() feeds models with exactly one Input layer');
    if (features.length !== count * input.perExample) {
      throw new EngineError('BAD_BATCH', `predict() got ${features.length} values; ${count} examples of ${input.perExample} values need ${count * input.perExample}`);
    }
    const out = this.buffer(this.plan.values.get(primary.source)!.buffer);
    const B = this.plan.batch;
    const pending: Promise<ArrayBuffer>[] = [];
    for (let start = 0; start < count; start += B) {
      const n = Math.min(B, count - start);
      let chunk = features.subarray(start * input.perExample, (start + n) * input.perExample);
      if (n < B) {
        const padded = new Float32Array(B * input.perExample);
        padded.set(chunk);
        chunk = padded;
      }
      this.runtime.write(this.buffer(input.ref.buffer), chunk);
      for (const d of this.inferenceDispatches) this.runtime.dispatch(d.kernel, d.group);
      pending.push(this.runtime.readback(out, n * primary.width * 4));
    }
    const result = new Float32Array(count * primary.width);
    let at = 0;
    for (const bytes of await Promise.all(pending)) {
      const part = new Float32Array(bytes);
      result.set(part, at);
      at += part.length;
    }
    return result;
  }

  /** Waits until every submitted step has run; throws any WebGPU validation error seen. */
  async sync(): Promise<void> {
    this.checkAlive();
    await this.runtime.finish();
  }

  /** Weights and buffers as Float32Arrays named like compute/model (`dense1.weight`, ...). */
  async getParameters(): Promise<ParameterSet> {
    this.checkAlive();
    const packed = new Float32Array(await this.runtime.readback(this.buffer(this.plan.packed.params), this.plan.buffers[this.plan.packed.params]!.bytes));
    const params: ParameterSet = new Map();
    const state = this.plan.params.filter((p) => !p.trainable);
    const stateData = await Promise.all(state.map((p) => this.runtime.readFloat32(this.buffer(p.ref.buffer), p.ref.bytes / 4)));
    for (const slot of this.plan.params) {
      const data = slot.trainable ? packed.slice(slot.ref.offset / 4, (slot.ref.offset + slot.ref.bytes) / 4) : stateData[state.indexOf(slot)]!.slice(0, count(slot.shape));
      params.set(slot.name, { shape: [...slot.shape], data });
    }
    return params;
  }

  /** Replaces every parameter (shapes are checked against the plan). */
  setParameters(params: ParameterSet): void {
    this.checkAlive();
    try {
      checkParameters(this.plan.model, params);
    } catch (e) {
      throw new EngineError('BAD_PARAMETERS', (e as Error).message);
    }
    const packed = new Float32Array(this.plan.buffers[this.plan.packed.params]!.bytes / 4);
    for (const slot of this.plan.params) {
      const data = toFloat32(params.get(slot.name)!.data);
      if (slot.trainable) packed.set(data, slot.ref.offset / 4);
      else this.runtime.write(this.buffer(slot.ref.buffer), data);
    }
    this.runtime.write(this.buffer(this.plan.packed.params), packed);
  }

  /** Optimizer slots and step count, in compute/model's OptimizerState form (for checkpoints). */
  async getOptimizerState(): Promise<OptimizerState> {
    this.checkAlive();
    const names = Object.keys(this.plan.packed.slots) as OptimizerSlot[];
    const packed = await Promise.all(names.map(async (slot) => new Float32Array(await this.runtime.readback(this.buffer(this.plan.packed.slots[slot]!)))));
    const slots = new Map<string, Partial<Record<OptimizerSlot, FloatArray>>>();
    for (const p of this.plan.params) {
      if (!p.trainable) continue;
      const entry: Partial<Record<OptimizerSlot, FloatArray>> = {};
      names.forEach((slot, i) => (entry[slot] = packed[i]!.slice(p.ref.offset / 4, (p.ref.offset + p.ref.bytes) / 4)));
      slots.set(p.name, entry);
    }
    return { config: this.plan.optimizer, schedule: this.plan.schedule, step: this.step, slots };
  }

  setOptimizerState(state: OptimizerState): void {
    this.checkAlive();
    if (state.config.type !== this.plan.optimizer.type) {
      throw new EngineError('BAD_OPTIMIZER_STATE', `The optimizer state is for ${state.config.type} but this engine trains with ${this.plan.optimizer.type}`);
    }
    for (const [slot, buffer] of Object.entries(this.plan.packed.slots)) {
      const packed = new Float32Array(this.plan.buffers[buffer]!.bytes / 4);
      for (const p of this.plan.params) {
        if (!p.trainable) continue;
        const data = state.slots.get(p.name)?.[slot as OptimizerSlot];
        if (!data || data.length !== p.ref.bytes / 4) {
          throw new EngineError('BAD_OPTIMIZER_STATE', `Optimizer slot '${slot}' of '${p.name}' is missing or has the wrong size (expected ${p.ref.bytes / 4} values)`);
        }
        packed.set(toFloat32(data), p.ref.offset / 4);
      }
      this.runtime.write(this.buffer(buffer), packed);
    }
    this.step = state.step;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.gpuBuffers) b.destroy();
  }

  private writeFeed(inputs: Map<string, Float32Array>, labels: Map<string, Float32Array | Uint32Array>): void {
    for (const [id, data] of inputs) this.runtime.write(this.buffer(this.plan.inputs.get(id)!.ref.buffer), data);
    for (const [id, data] of labels) this.runtime.write(this.buffer(this.plan.labels.get(id)!.ref.buffer), data);
  }

  private buffer(id: number): GPUBuffer {
    return this.gpuBuffers[id]!;
  }

  private checkAlive(): void {
    if (this.destroyed) throw new EngineError('DESTROYED', 'This engine has been destroyed');
  }
}

function createBindGroup(device: GPUDevice, runtime: GpuRuntime, kernel: KernelInstance, call: KernelCall, buffers: GPUBuffer[]): GPUBindGroup {
  const entries = kernel.bindings.map((binding, index) => {
    const ref: BufferRef | undefined = call.bindings[binding.name];
    if (!ref) throw new Error(`kernel ${kernel.name} (node ${call.nodeId ?? 'optimizer'}) is missing binding '${binding.name}'`);
    return { binding: index, resource: { buffer: buffers[ref.buffer]!, offset: ref.offset, size: ref.bytes } };
  });
  return device.createBindGroup({ label: `${kernel.name}${call.nodeId ? ` @${call.nodeId}` : ''}`, layout: runtime.pipelines.get(kernel).layout, entries });
}

function toFloat32(data: FloatArray): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A per-step dropout seed: the same (seed, step) always gives the same masks. */
function mixStep(seed: number, step: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ step;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

