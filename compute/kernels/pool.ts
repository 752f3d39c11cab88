import type { Pool2DSpec } from '../cpu/pool2d';
import { windowGeometry } from '../cpu/window-geometry';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, type KernelDef } from './types';

/**
 * Max and average pooling on NHWC, forward and backward. Padding never contributes (max ignores it,
 * average divides by the real element count), matching the CPU reference. Backward kernels gather
 * per input element over the windows that contain it, so they need no atomics. Max pooling records
 * the argmax (first maximum in (kh, kw) order) in the forward pass for its backward.
 */
function outputCount(s: Pool2DSpec): number {
  const g = windowGeometry(s);
  return s.batch * g.outH * g.outW * s.channels;
}

function inputCount(s: Pool2DSpec): number {
  return s.batch * s.height * s.width * s.channels;
}

function constants(s: Pool2DSpec): string {
  const g = windowGeometry(s);
  return `
const H = ${s.height}i;
const W = ${s.width}i;
const C = ${s.channels}u;
const KH = ${s.kernelH}i;
const KW = ${s.kernelW}i;
const SH = ${s.strideH}i;
const SW = ${s.strideW}i;
const OH = ${g.outH}i;
const OW = ${g.outW}i;
const PAD_T = ${g.padTop}i;
const PAD_L = ${g.padLeft}i;`;
}

/** WGSL decomposing output index i into (n, oh, ow, c) and the window origin (h0, w0). */
const OUTPUT_COORDS = `  let c = i % C;
  let ow = i32(i / C) % OW;
  let oh = (i32(i / C) / OW) % OH;
  let n = i32(i / C) / (OW * OH);
  let h0 = oh * SH - PAD_T;
  let w0 = ow * SW - PAD_L;`;

/** WGSL decomposing input index i and looping over the output windows (oh, ow) that contain it. */
function forEachCoveringWindow(body: string): string {
  return `  let c = i % C;
  let w = i32(i / C) % W;
  let h = (i32(i / C) / W) % H;
  let n = i32(i / C) / (W * H);
  var s = 0.0;
  for (var kh = 0i; kh < KH; kh = kh + 1i) {
    let th = h + PAD_T - kh;
    if (th < 0 || th % SH != 0 || th / SH >= OH) { continue; }
    let oh = th / SH;
    for (var kw = 0i; kw < KW; kw = kw + 1i) {
      let tw = w + PAD_L - kw;
      if (tw < 0 || tw % SW != 0 || tw / SW >= OW) { continue; }
      let ow = tw / SW;
      let o = u32((n * OH + oh) * OW + ow) * C + c;
${body}
    }
  }
  dx[i] = s;`;
}

const common = {
  variant: 'portable' as const,
  validate: (s: Pool2DSpec) => void windowGeometry(s),
  workgroupSize: (_s: Pool2DSpec, caps: Parameters<typeof itemWorkgroupSize>[0]) => itemWorkgroupSize(caps),
};

export const maxPoolForward: KernelDef<Pool2DSpec> = {
  ...common,
  name: 'max-pool.forward',
  op: 'max-pool',
  summary: 'max pooling NHWC; also records the argmax input index for the backward pass',
  bindings: () => [input('x', 'input NHWC'), output('y', 'pooled output NHWC'), output('argmax', 'flat input index of each max', 'u32')],
  workgroups: (s, caps) => itemWorkgroups(outputCount(s), caps),
  wgsl: (s, caps) =>
    itemKernelWgsl(
      {
        bindings: maxPoolForward.bindings(s),
        prelude: constants(s),
        items: outputCount(s),
        body: `${OUTPUT_COORDS}
  var best = 0u;
  var bestValue = 0.0;
  var found = false;
  for (var kh = 0i; kh < KH; kh = kh + 1i) {
    let ih = h0 + kh;
    if (ih < 0 || ih >= H) { continue; }
    for (var kw = 0i; kw < KW; kw = kw + 1i) {
      let iw = w0 + kw;
      if (iw < 0 || iw >= W) { continue; }
      let idx = u32((n * H + ih) * W + iw) * C + c;
      let v = x[idx];
      // Strict '>' keeps the first maximum, as the CPU reference does.
      if (!found || v > bestValue) { best = idx; bestValue = v; found = true; }
    }
  }
  y[i] = bestValue;
  argmax[i] = best;`,
      },
      caps,
    ),
};

export const maxPoolBackward: KernelDef<Pool2DSpec> = {
  ...common,
  name: 'max-pool.backward',
  op: 'max-pool-grad',
  summary: 'routes each output gradient to its recorded argmax (gather per input element)',
  bindings: () => [input('dy', 'gradient wrt the pooled output'), input('argmax', 'from max-pool.forward', 'u32'), output('dx', 'gradient wrt the input')],
  workgroups: (s, caps) => itemWorkgroups(inputCount(s), caps),
  wgsl: (s, caps) =>
    itemKernelWgsl(
      {
        bindings: maxPoolBackward.bindings(s),
        prelude: constants(s),
        items: inputCount(s),
        body: forEachCoveringWindow('      if (argmax[o] == i) { s = s + dy[o]; }'),
      },
      caps,
    ),
};

/** WGSL: number of real (unpadded) input elements in the window starting at (h0, w0). */
const WINDOW_COUNT = `
fn window_count(h0: i32, w0: i32) -> f32 {
  let rows = min(h0 + KH, H) - max(h0, 0i);
  let cols = min(w0 + KW, W) - max(w0, 0i);
  return f32(rows * cols);
}`;

export const avgPoolForward: KernelDef<Pool2DSpec> = {
  ...common,
  name: 'avg-pool.forward',
  op: 'avg-pool',
  summary: 'average pooling NHWC over the real (unpadded) elements of each window',
  bindings: () => [input('x', 'input NHWC'), output('y', 'pooled output NHWC')],
  workgroups: (s, caps) => itemWorkgroups(outputCount(s), caps),
  wgsl: (s, caps) =>
    itemKernelWgsl(
      {
        bindings: avgPoolForward.bindings(s),
        prelude: constants(s) + WINDOW_COUNT,
        items: outputCount(s),
        body: `${OUTPUT_COORDS}
  var sum = 0.0;
  for (var kh = 0i; kh < KH; kh = kh + 1i) {
    let ih = h0 + kh;
    if (ih < 0 || ih >= H) { continue; }
    for (var kw = 0i; kw < KW; kw = kw + 1i) {
      let iw = w0 + kw;
      if (iw < 0 || iw >= W) { continue; }
      sum = sum + x[u32((n * H + ih) * W + iw) * C + c];
    }
  }
  y[i] = sum / window_count(h0, w0);`,
      },
      caps,
    ),
};

export const avgPoolBackward: KernelDef<Pool2DSpec> = {
  ...common,
  name: 'avg-pool.backward',
  op: 'avg-pool-grad',
  summary: 'spreads each output gradient evenly over its window (gather per input element)',
  bindings: () => [input('dy', 'gradient wrt the pooled output'), output('dx', 'gradient wrt the input')],
  workgroups: (s, caps) => itemWorkgroups(inputCount(s), caps),
  wgsl: (s, caps) =>
    itemKernelWgsl(
      {
        bindings: avgPoolBackward.bindings(s),
        prelude: constants(s) + WINDOW_COUNT,
        items: inputCount(s),
        body: forEachCoveringWindow('      s = s + dy[o] / window_count(oh * SH - PAD_T, ow * SW - PAD_L);'),
      },
      caps,
    ),
};
