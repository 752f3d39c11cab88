import { assertLength, at, type Values } from './types';
import { windowGeometry, type WindowSpec } from './window-geometry';

/**
 * 2-D convolution (really cross-correlation, as in every DL framework) on NHWC input.
 * Weights are [kernelH, kernelW, inChannels, outChannels] (TF's HWIO): flattened, that is the
 * [K, outChannels] matrix an im2col matmul multiplies by, so GPU and CPU share one layout.
 * Bias is separate (biasAdd over [batch·outH·outW, outChannels]).
 */
export interface Conv2DSpec extends WindowSpec {
  readonly inChannels: number;
  readonly outChannels: number;
}

export function conv2dOutputShape(s: Conv2DSpec): [number, number, number, number] {
  const g = windowGeometry(s);
  return [s.batch, g.outH, g.outW, s.outChannels];
}

/** Calls visit(outIndexBase, inIndexBase, weightIndexBase) for every in-bounds tap. */
function forEachTap(s: Conv2DSpec, visit: (outBase: number, inBase: number, wBase: number) => void): void {
  const g = windowGeometry(s);
  for (let n = 0; n < s.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        const outBase = ((n * g.outH + oh) * g.outW + ow) * s.outChannels;
        for (let kh = 0; kh < s.kernelH; kh++) {
          const ih = oh * s.strideH + kh - g.padTop;
          if (ih < 0 || ih >= s.height) continue;
          for (let kw = 0; kw < s.kernelW; kw++) {
            const iw = ow * s.strideW + kw - g.padLeft;
            if (iw < 0 || iw >= s.width) continue;
            const inBase = ((n * s.height + ih) * s.width + iw) * s.inChannels;
            const wBase = (kh * s.kernelW + kw) * s.inChannels * s.outChannels;
            visit(outBase, inBase, wBase);
          }
        }
      }
    }
  }
}

export function conv2d(x: Values, weights: Values, s: Conv2DSpec): Float64Array {
  assertLength('input', x, s.batch * s.height * s.width * s.inChannels);
  assertLength('weights', weights, s.kernelH * s.kernelW * s.inChannels * s.outChannels);
  const [, oh, ow, co] = conv2dOutputShape(s);
  const y = new Float64Array(s.batch * oh * ow * co);
  forEachTap(s, (outBase, inBase, wBase) => {
    for (let ci = 0; ci < s.inChannels; ci++) {
      const xv = at(x, inBase + ci);
      const wRow = wBase + ci * s.outChannels;
      for (let o = 0; o < s.outChannels; o++) y[outBase + o] = (y[outBase + o] as number) + xv * at(weights, wRow + o);
    }
  });
  return y;
}

/** Gradients of conv2d with respect to its input and its weights. */
export function conv2dBackward(
  x: Values,
  weights: Values,
  dy: Values,
  s: Conv2DSpec,
): { dInput: Float64Array; dWeights: Float64Array } {
  const [, oh, ow, co] = conv2dOutputShape(s);
  assertLength('dy', dy, s.batch * oh * ow * co);
  const dInput = new Float64Array(x.length);
  const dWeights = new Float64Array(weights.length);
  forEachTap(s, (outBase, inBase, wBase) => {
    for (let ci = 0; ci < s.inChannels; ci++) {
      const xv = at(x, inBase + ci);
      const wRow = wBase + ci * s.outChannels;
      let dxv = 0;
      for (let o = 0; o < s.outChannels; o++) {
        const g = at(dy, outBase + o);
        dxv += g * at(weights, wRow + o);
        dWeights[wRow + o] = (dWeights[wRow + o] as number) + g * xv;
      }
      dInput[inBase + ci] = (dInput[inBase + ci] as number) + dxv;
    }
  });
  return { dInput, dWeights };
}
