import { softmax } from '../cpu/softmax';
import { checkFinite, checkRowCount } from './check-inputs';

export interface GridBounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

export interface DecisionBoundary {
  readonly bounds: GridBounds;
  /** Cells per side. */
  readonly resolution: number;
  /** Row-major cells, top row (largest y) first: the predicted class of each cell's centre. */
  readonly predicted: number[];
  /** Softmax probability of that class: how sure the model is there (the plot's shading). */
  readonly confidence: number[];
}

/** The range of two-feature rows, widened by `margin` of each span so edge points are not on the frame. */
export function gridBounds(features: ArrayLike<number>, margin = 0.1): GridBounds {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (let i = 0; i + 1 < features.length; i += 2) {
    const x = features[i]!;
    const y = features[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  if (xMin > xMax) [xMin, xMax] = [0, 1];
  if (yMin > yMax) [yMin, yMax] = [0, 1];
  // A constant feature still gets a visible strip around its value.
  const dx = xMax > xMin ? (xMax - xMin) * margin : 0.5;
  const dy = yMax > yMin ? (yMax - yMin) * margin : 0.5;
  return { xMin: xMin - dx, xMax: xMax + dx, yMin: yMin - dy, yMax: yMax + dy };
}

/** Centres of resolution x resolution cells as two-feature rows, in the order DecisionBoundary uses. */
export function gridPoints(bounds: GridBounds, resolution: number): Float32Array {
  const out = new Float32Array(resolution * resolution * 2);
  const w = (bounds.xMax - bounds.xMin) / resolution;
  const h = (bounds.yMax - bounds.yMin) / resolution;
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const o = (row * resolution + col) * 2;
      out[o] = bounds.xMin + (col + 0.5) * w;
      out[o + 1] = bounds.yMax - (row + 0.5) * h;
    }
  }
  return out;
}

/** The class and its probability at each grid cell, from the model's logits for gridPoints(). */
export function decisionBoundary(bounds: GridBounds, resolution: number, logits: ArrayLike<number>, classes: number): DecisionBoundary {
  const cells = resolution * resolution;
  checkRowCount(logits, classes, cells, 'logits');
  checkFinite(logits, classes, 'logits');
  const p = softmax(logits, cells, classes);
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (let r = 0; r < cells; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (p[r * classes + c]! > p[r * classes + best]!) best = c;
    predicted.push(best);
    confidence.push(p[r * classes + best]!);
  }
  return { bounds, resolution, predicted, confidence };
}
