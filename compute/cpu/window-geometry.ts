/**
 * Output size and padding of a sliding window (convolution or pooling) over NHWC images.
 * Padding follows TensorFlow/Keras: 'valid' uses no padding; 'same' produces ceil(in / stride)
 * outputs and puts the odd extra padding row/column at the bottom/right.
 * The CPU reference and the WGSL kernels both use this, so they cannot disagree about shapes.
 */
export type Padding = 'valid' | 'same';

export interface WindowSpec {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padding: Padding;
}

export interface WindowGeometry {
  readonly outH: number;
  readonly outW: number;
  readonly padTop: number;
  readonly padLeft: number;
}

function axis(size: number, kernel: number, stride: number, padding: Padding): { out: number; pad: number } {
  if (padding === 'valid') {
    if (size < kernel) throw new RangeError(`window ${kernel} is larger than the input ${size} with 'valid' padding`);
    return { out: Math.floor((size - kernel) / stride) + 1, pad: 0 };
  }
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  return { out, pad: Math.floor(total / 2) };
}

export function windowGeometry(s: WindowSpec): WindowGeometry {
  for (const [name, v] of Object.entries({
    batch: s.batch, height: s.height, width: s.width, kernelH: s.kernelH, kernelW: s.kernelW,
    strideH: s.strideH, strideW: s.strideW,
  })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  }
  const h = axis(s.height, s.kernelH, s.strideH, s.padding);
  const w = axis(s.width, s.kernelW, s.strideW, s.padding);
  return { outH: h.out, outW: w.out, padTop: h.pad, padLeft: w.pad };
}
