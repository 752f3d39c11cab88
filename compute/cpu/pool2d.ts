import { assertLength, at, type Values } from './types';
import { windowGeometry, type WindowSpec } from './window-geometry';

/**
 * Max and average pooling over NHWC input. Padded positions never take part: max pooling ignores
 * them and average pooling divides by the number of real elements in the window (TF semantics).
 * Max pooling's gradient goes to the FIRST maximum in (kh, kw) scan order; the GPU kernel uses the
 * same strict comparison so ties resolve identically.
 */
export interface Pool2DSpec extends WindowSpec {
  readonly channels: number;
}

export function pool2dOutputShape(s: Pool2DSpec): [number, number, number, number] {
  const g = windowGeometry(s);
  return [s.batch, g.outH, g.outW, s.channels];
}

interface Window {
  readonly outIndex: number;
  /** Flat input indices of the real (unpadded) elements, in (kh, kw) order. */
  readonly inputs: number[];
}

function forEachWindow(s: Pool2DSpec, visit: (w: Window) => void): void {
  const g = windowGeometry(s);
  for (let n = 0; n < s.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        for (let c = 0; c < s.channels; c++) {
          const inputs: number[] = [];
          for (let kh = 0; kh < s.kernelH; kh++) {
            const ih = oh * s.strideH + kh - g.padTop;
            if (ih < 0 || ih >= s.height) continue;
            for (let kw = 0; kw < s.kernelW; kw++) {
              const iw = ow * s.strideW + kw - g.padLeft;
              if (iw < 0 || iw >= s.width) continue;
              inputs.push(((n * s.height + ih) * s.width + iw) * s.channels + c);
            }
          }
          visit({ outIndex: ((n * g.outH + oh) * g.outW + ow) * s.channels + c, inputs });
        }
      }
    }
  }
}

function outputSize(s: Pool2DSpec): number {
  return pool2dOutputShape(s).reduce((a, b) => a * b, 1);
}

function argmax(x: Values, inputs: number[]): number {
  let best = inputs[0] as number;
  for (const i of inputs) if (at(x, i) > at(x, best)) best = i;
  return best;
}

export function maxPool2d(x: Values, s: Pool2DSpec): Float64Array {
  assertLength('input', x, s.batch * s.height * s.width * s.channels);
  const y = new Float64Array(outputSize(s));
  forEachWindow(s, (w) => {
    y[w.outIndex] = at(x, argmax(x, w.inputs));
  });
  return y;
}

export function maxPool2dBackward(x: Values, dy: Values, s: Pool2DSpec): Float64Array {
  assertLength('dy', dy, outputSize(s));
  const dx = new Float64Array(x.length);
  forEachWindow(s, (w) => {
    const i = argmax(x, w.inputs);
    dx[i] = (dx[i] as number) + at(dy, w.outIndex);
  });
  return dx;
}

export function avgPool2d(x: Values, s: Pool2DSpec): Float64Array {
  assertLength('input', x, s.batch * s.height * s.width * s.channels);
  const y = new Float64Array(outputSize(s));
  forEachWindow(s, (w) => {
    let sum = 0;
    for (const i of w.inputs) sum += at(x, i);
    y[w.outIndex] = sum / w.inputs.length;
  });
  return y;
}

export function avgPool2dBackward(dy: Values, s: Pool2DSpec): Float64Array {
  assertLength('dy', dy, outputSize(s));
  const dx = new Float64Array(s.batch * s.height * s.width * s.channels);
  forEachWindow(s, (w) => {
    const share = at(dy, w.outIndex) / w.inputs.length;
    for (const i of w.inputs) dx[i] = (dx[i] as number) + share;
  });
  return dx;
}
