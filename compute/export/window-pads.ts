import type { Padding } from '../cpu/window-geometry';

/**
 * Explicit [top, left, bottom, right] padding for a square window, following TensorFlow's 'same'
 * rule (the extra row/column goes at the bottom/right). ONNX, PyTorch and our kernels all accept
 * explicit asymmetric padding, so exports never rely on an auto_pad convention.
 */
export function windowPads(height: number, width: number, window: number, stride: number, padding: Padding): [number, number, number, number] {
  if (padding === 'valid') return [0, 0, 0, 0];
  const total = (size: number) => Math.max((Math.ceil(size / stride) - 1) * stride + window - size, 0);
  const th = total(height);
  const tw = total(width);
  return [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)];
}
