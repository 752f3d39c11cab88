import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * Concatenation of two tensors along one axis, both viewed as [outer, size, inner] (outer includes
 * the batch). The forward gathers per output element; the backward splits dy into da and db in one
 * pass, so neither needs atomics.
 */
export interface ConcatParams {
  readonly outer: number;
  readonly sizeA: number;
  readonly sizeB: number;
  readonly inner: number;
}

const validate = (p: ConcatParams) => {
  for (const key of ['outer', 'sizeA', 'sizeB', 'inner'] as const) requirePositiveInt(key, p[key]);
};

function prelude(p: ConcatParams): string {
  return `
const SA = ${p.sizeA * p.inner}u;
const SB = ${p.sizeB * p.inner}u;`;
}

export const concatForward: KernelDef<ConcatParams> = {
  name: 'concat.forward',
  op: 'concat',
  variant: 'portable',
  summary: 'y[o, 0:A | A:A+B, i] = a | b',
  bindings: () => [input('a', 'first input [outer, sizeA, inner]'), input('b', 'second input [outer, sizeB, inner]'), output('y', 'output [outer, sizeA+sizeB, inner]')],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.outer * (p.sizeA + p.sizeB) * p.inner, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: concatForward.bindings(p),
        prelude: prelude(p),
        items: p.outer * (p.sizeA + p.sizeB) * p.inner,
        body: `  let o = i / (SA + SB);
  let r = i % (SA + SB);
  if (r < SA) { y[i] = a[o * SA + r]; } else { y[i] = b[o * SB + r - SA]; }`,
      },
      caps,
    ),
};

export const concatBackward: KernelDef<ConcatParams> = {
  name: 'concat.backward',
  op: 'concat-grad',
  variant: 'portable',
  summary: 'splits dy back into da and db',
  bindings: () => [input('dy', 'gradient of the output'), output('da', 'gradient of a'), output('db', 'gradient of b')],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.outer * (p.sizeA + p.sizeB) * p.inner, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: concatBackward.bindings(p),
        prelude: prelude(p),
        items: p.outer * (p.sizeA + p.sizeB) * p.inner,
        body: `  let o = i / (SA + SB);
  let r = i % (SA + SB);
  if (r < SA) { da[o * SA + r] = dy[i]; } else { db[o * SB + r - SA] = dy[i]; }`,
      },
      caps,
    ),
};
