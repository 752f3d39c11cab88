import type { Conv2DSpec } from '../cpu/conv2d';
import { windowGeometry } from '../cpu/window-geometry';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, type KernelDef } from './types';

/**
 * Convolution as matmul. im2col unrolls every receptive field of an NHWC input into a row of
 * cols [batch·outH·outW, kernelH·kernelW·inChannels] (zeros where the window hangs over the
 * padding), ordered (kh, kw, ci) to match HWIO weights flattened to [K, outChannels]. Then
 *   forward:     y  = cols · W (+ bias, activation)      — one matmul
 *   weight grad: dW = colsᵀ · dY                          — transA matmul
 *   input grad:  dCols = dY · Wᵀ (transB), dX = col2im(dCols)
 * col2im gathers (one invocation per input element) instead of scattering, so it needs no atomics
 * and is deterministic.
 */
export function im2colShape(s: Conv2DSpec): { rows: number; cols: number } {
  const g = windowGeometry(s);
  return { rows: s.batch * g.outH * g.outW, cols: s.kernelH * s.kernelW * s.inChannels };
}

function constants(s: Conv2DSpec): string {
  const g = windowGeometry(s);
  return `
const H = ${s.height}i;
const W = ${s.width}i;
const CI = ${s.inChannels}u;
const KH = ${s.kernelH}u;
const KW = ${s.kernelW}u;
const SH = ${s.strideH}i;
const SW = ${s.strideW}i;
const OH = ${g.outH}i;
const OW = ${g.outW}i;
const PAD_T = ${g.padTop}i;
const PAD_L = ${g.padLeft}i;
const K = ${s.kernelH * s.kernelW * s.inChannels}u;`;
}

export const im2col: KernelDef<Conv2DSpec> = {
  name: 'conv2d.im2col',
  op: 'im2col',
  variant: 'portable',
  summary: 'unrolls NHWC receptive fields into a [batch*outH*outW, kH*kW*inC] matrix for the conv matmul',
  bindings: () => [input('x', 'input NHWC'), output('cols', 'im2col matrix')],
  validate: (s) => void windowGeometry(s),
  workgroupSize: (_s, caps) => itemWorkgroupSize(caps),
  workgroups: (s, caps) => {
    const { rows, cols } = im2colShape(s);
    return itemWorkgroups(rows * cols, caps);
  },
  wgsl: (s, caps) => {
    const { rows, cols: k } = im2colShape(s);
    return itemKernelWgsl(
      {
        bindings: im2col.bindings(s),
        prelude: constants(s),
        items: rows * k,
        body: `  let row = i / K;
  let kk = i % K;
  let ci = kk % CI;
  let kw = i32((kk / CI) % KW);
  let kh = i32(kk / (CI * KW));
  let ow = i32(row) % OW;
  let oh = (i32(row) / OW) % OH;
  let n = i32(row) / (OW * OH);
  let ih = oh * SH + kh - PAD_T;
  let iw = ow * SW + kw - PAD_L;
  var v = 0.0;
  if (ih >= 0 && ih < H && iw >= 0 && iw < W) { v = x[u32((n * H + ih) * W + iw) * CI + ci]; }
  cols[i] = v;`,
      },
      caps,
    );
  },
};

export const col2im: KernelDef<Conv2DSpec> = {
  name: 'conv2d.col2im',
  op: 'col2im',
  variant: 'portable',
  summary: 'folds an im2col-shaped gradient back onto the NHWC input by gathering (no atomics)',
  bindings: () => [input('cols', 'gradient wrt the im2col matrix'), output('dx', 'gradient wrt the NHWC input')],
  validate: (s) => void windowGeometry(s),
  workgroupSize: (_s, caps) => itemWorkgroupSize(caps),
  workgroups: (s, caps) => itemWorkgroups(s.batch * s.height * s.width * s.inChannels, caps),
  wgsl: (s, caps) =>
    itemKernelWgsl(
      {
        bindings: col2im.bindings(s),
        prelude: constants(s),
        items: s.batch * s.height * s.width * s.inChannels,
        body: `  let ci = i % CI;
  let w = i32(i / CI) % W;
  let h = (i32(i / CI) / W) % H;
  let n = i32(i / CI) / (W * H);
  var s = 0.0;
  for (var kh = 0u; kh < KH; kh = kh + 1u) {
    let th = h + PAD_T - i32(kh);
    if (th < 0 || th % SH != 0 || th / SH >= OH) { continue; }
    for (var kw = 0u; kw < KW; kw = kw + 1u) {
      let tw = w + PAD_L - i32(kw);
      if (tw < 0 || tw % SW != 0 || tw / SW >= OW) { continue; }
      let row = u32((n * OH + th / SH) * OW + tw / SW);
      s = s + cols[row * K + (kh * KW + kw) * CI + ci];
    }
  }
  dx[i] = s;`,
      },
      caps,
    ),
};
