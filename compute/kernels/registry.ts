import { activationBackward, activationForward } from './activation';
import { activationOutputGrad } from './activation-output-grad';
import { batchNormRunningStats, batchNormTrainStats } from './batchnorm-running';
import { concatBackward, concatForward } from './concat';
import { copy } from './copy';
import { dropoutRandomMask } from './dropout-random';
import { sgdNesterovUpdate } from './sgd-nesterov';
import { softmaxBackward } from './softmax-backward';
import { trainingMetrics } from './training-metrics';
import { batchNormGradSums, batchNormInputGrad, batchNormNormalize, batchNormStats } from './batchnorm';
import { accumulate, add, biasAdd, dropoutMask } from './elementwise';
import { col2im, im2col } from './im2col';
import { matmulBlocked } from './matmul-blocked';
import { matmulTiled } from './matmul-tiled';
import { adamUpdate, adamWUpdate, sgdUpdate } from './optimizers';
import { avgPoolBackward, avgPoolForward, maxPoolBackward, maxPoolForward } from './pool';
import { columnSumSerial, columnSumShared, sumSerial, sumShared } from './reductions';
import { meanSquaredError, softmaxCrossEntropy, softmaxForward } from './softmax';
import type { AnyKernelDef, KernelDef, KernelVariant } from './types';

/**
 * The one place kernels are listed. Each entry carries its metadata (op, variant, bindings,
 * workgroup size, WGSL generator), so a planner can pick an implementation per op and adapter and a
 * CUDA twin can later be registered beside a WGSL kernel under the same op.
 */
export class KernelRegistry {
  private readonly byName = new Map<string, AnyKernelDef>();

  register(def: AnyKernelDef): this {
    if (this.byName.has(def.name)) throw new Error(`kernel ${def.name} is already registered`);
    this.byName.set(def.name, def);
    return this;
  }

  get(name: string): AnyKernelDef {
    const def = this.byName.get(name);
    if (!def) throw new Error(`no kernel named ${name}`);
    return def;
  }

  list(): AnyKernelDef[] {
    return [...this.byName.values()];
  }

  ops(): string[] {
    return [...new Set(this.list().map((d) => d.op))].sort();
  }

  variantsOf(op: string): AnyKernelDef[] {
    return this.list().filter((d) => d.op === op);
  }

  /**
   * The kernel for an op in the preferred variant; ops with a single portable kernel return it for
   * either preference.
   */
  select<P = unknown>(op: string, preferred: Exclude<KernelVariant, 'portable'>): KernelDef<P> {
    const candidates = this.variantsOf(op);
    const def =
      candidates.find((d) => d.variant === preferred) ??
      candidates.find((d) => d.variant === 'portable') ??
      candidates[0];
    if (!def) throw new Error(`no kernel implements op ${op}`);
    return def as KernelDef<P>;
  }
}

export const ALL_KERNELS: readonly AnyKernelDef[] = [
  matmulTiled,
  matmulBlocked,
  activationForward,
  activationBackward,
  biasAdd,
  add,
  accumulate,
  dropoutMask,
  columnSumShared,
  columnSumSerial,
  sumShared,
  sumSerial,
  softmaxForward,
  softmaxCrossEntropy,
  meanSquaredError,
  im2col,
  col2im,
  maxPoolForward,
  maxPoolBackward,
  avgPoolForward,
  avgPoolBackward,
  batchNormStats,
  batchNormNormalize,
  batchNormGradSums,
  batchNormInputGrad,
  sgdUpdate,
  adamUpdate,
  adamWUpdate,
  // Added for the training engine.
  copy,
  activationOutputGrad,
  softmaxBackward,
  concatForward,
  concatBackward,
  batchNormTrainStats,
  batchNormRunningStats,
  dropoutRandomMask,
  sgdNesterovUpdate,
  trainingMetrics,
];

export function createDefaultRegistry(): KernelRegistry {
  const registry = new KernelRegistry();
  for (const def of ALL_KERNELS) registry.register(def);
  return registry;
}

export const kernelRegistry = createDefaultRegistry();
