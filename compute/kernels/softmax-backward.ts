import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, requirePositiveInt, type KernelDef } from './types';

/** Backward of a stand-alone row softmax: dx = y ⊙ (dy − Σ_c dy·y), one invocation per row. */
export interface SoftmaxBackwardParams {
  readonly rows: number;
  readonly cols: number;
}

export const softmaxBackward: KernelDef<SoftmaxBackwardParams> = {
  name: 'softmax.backward-rows',
  op: 'softmax-grad',
  variant: 'portable',
  summary: 'dx = y * (dy - sum(dy * y)) per row, from the softmax output',
  bindings: () => [input('y', 'softmax output [rows, cols]'), input('dy', 'gradient of the output'), output('dx', 'gradient of the logits')],
  validate: (p) => {
    requirePositiveInt('rows', p.rows);
    requirePositiveInt('cols', p.cols);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.rows, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: softmaxBackward.bindings(p),
        items: p.rows,
        body: `  let o = i * ${p.cols}u;
  var dot = 0.0;
  for (var c = 0u; c < ${p.cols}u; c = c + 1u) { dot = dot + dy[o + c] * y[o + c]; }
  for (var c = 0u; c < ${p.cols}u; c = c + 1u) { dx[o + c] = y[o + c] * (dy[o + c] - dot); }`,
      },
      caps,
    ),
};
