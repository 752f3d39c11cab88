import { gaussian, mulberry32 } from '../data/random';
import type { ModelPlan } from './plan';
import type { ParamSpec } from './param-specs';
import { allocate, sizeOf, type ParamDtype, type ParameterSet } from './tensor';

export interface InitOptions {
  /** Same seed, same graph: identical weights on every machine. */
  readonly seed: number;
  readonly dtype?: ParamDtype;
}

/**
 * Fresh parameters for a plan. Glorot is uniform in ±sqrt(6 / (fanIn + fanOut)); He is normal with
 * std sqrt(2 / fanIn), as the layer catalog describes. Each tensor draws from its own stream seeded
 * by (seed, name), so adding a layer elsewhere in the graph does not reshuffle existing weights.
 */
export function initParameters(plan: Pick<ModelPlan, 'params'>, options: InitOptions): ParameterSet {
  const params: ParameterSet = new Map();
  for (const spec of plan.params) {
    const data = allocate(options.dtype ?? 'float32', sizeOf(spec.shape));
    fill(data, spec, mulberry32(mixSeed(options.seed, spec.name)));
    params.set(spec.name, { shape: [...spec.shape], data });
  }
  return params;
}

function fill(data: Float32Array | Float64Array, spec: ParamSpec, random: () => number): void {
  switch (spec.init) {
    case 'zeros':
      return;
    case 'ones':
      data.fill(1);
      return;
    case 'glorot': {
      const limit = Math.sqrt(6 / (spec.fanIn + spec.fanOut));
      for (let i = 0; i < data.length; i++) data[i] = (2 * random() - 1) * limit;
      return;
    }
    case 'he': {
      const std = Math.sqrt(2 / spec.fanIn);
      for (let i = 0; i < data.length; i++) data[i] = gaussian(random) * std;
      return;
    }
  }
}

/** FNV-1a over the name, folded with the seed: a stable per-tensor seed. */
function mixSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
}
