import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { output, requirePositiveInt, uniform, type KernelDef } from './types';

/**
 * A dropout keep-mask generated on the GPU: mask[i] = 1 when hash(seed, salt, i) / 2³² ≥ rate.
 * The per-step seed comes from a uniform so the pipeline is compiled once; the salt separates the
 * masks of different Dropout layers. The hash (PCG-style integer mixing) is deterministic, so a run
 * is repeatable for a given seed — but it is not the CPU executor's stream, so masks differ from the
 * CPU reference.
 */
export interface DropoutMaskParams {
  readonly count: number;
  readonly rate: number;
  readonly salt: number;
}

export function dropoutSeedUniform(seed: number): Uint32Array {
  return new Uint32Array([seed >>> 0, 0, 0, 0]);
}

export const dropoutRandomMask: KernelDef<DropoutMaskParams> = {
  name: 'dropout.random-mask',
  op: 'dropout-mask',
  variant: 'portable',
  summary: 'keep-mask from a counter-based hash of (step seed, layer salt, index)',
  bindings: () => [output('mask', '1 = keep, 0 = drop'), uniform('seed', 'DropoutSeed { value }')],
  validate: (p) => {
    requirePositiveInt('count', p.count);
    if (!(p.rate >= 0 && p.rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${p.rate}`);
    if (!Number.isInteger(p.salt) || p.salt < 0 || p.salt > 0xffffffff) throw new RangeError(`salt must be a u32, got ${p.salt}`);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: dropoutRandomMask.bindings(p),
        types: { seed: 'DropoutSeed', mask: 'array<f32>' },
        prelude: `struct DropoutSeed { value: u32, pad0: u32, pad1: u32, pad2: u32 }
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}`,
        items: p.count,
        // Threshold compared in 32-bit integers so no f32 rounding biases the keep rate.
        body: `  let h = pcg(pcg(seed.value ^ ${p.salt >>> 0}u) + i);
  mask[i] = select(0.0, 1.0, h >= ${Math.min(0xffffffff, Math.round(p.rate * 2 ** 32)) >>> 0}u);`,
      },
      caps,
    ),
};
