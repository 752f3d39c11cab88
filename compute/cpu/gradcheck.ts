import { at, type Values } from './types';

/**
 * Central finite differences: ∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h, in float64.
 * Used to check every analytic backward in the reference against its own forward.
 */
export function numericGradient(f: (x: Float64Array) => number, x: Values, h = 1e-5): Float64Array {
  const probe = Float64Array.from(x);
  const grad = new Float64Array(probe.length);
  for (let i = 0; i < probe.length; i++) {
    const original = at(probe, i);
    probe[i] = original + h;
    const plus = f(probe);
    probe[i] = original - h;
    const minus = f(probe);
    probe[i] = original;
    grad[i] = (plus - minus) / (2 * h);
  }
  return grad;
}

/** Σ y_i·w_i: projects a tensor output onto fixed random weights to get a scalar to differentiate. */
export function dot(y: Values, w: Values): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += at(y, i) * at(w, i);
  return s;
}

/** Largest |a−b| / max(1, |a|, |b|): relative for large values, absolute near zero. */
export function maxRelativeError(a: Values, b: Values): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = at(a, i);
    const y = at(b, i);
    const err = Math.abs(x - y) / Math.max(1, Math.abs(x), Math.abs(y));
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

/** Deterministic pseudo-random numbers (mulberry32) so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform values in [lo, hi). */
export function randomValues(rand: () => number, n: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}
