import { featureSize, type Dataset } from './dataset';

export type NormalizationKind = 'minmax' | 'zscore';

/**
 * A fitted feature transform x' = (x - offset[i]) * scale[i], per feature element. Fit it on the
 * training split only and apply the same one to validation and inference data, or the model
 * sees information it would not have in production.
 */
export interface Normalizer {
  readonly kind: NormalizationKind;
  readonly offset: Float32Array;
  readonly scale: Float32Array;
}

export interface NormalizerOptions {
  /**
   * 'feature' (default) fits each feature separately, right for tabular data; 'all' fits one
   * offset and scale over every value, right for images where per-pixel statistics are noise.
   */
  readonly per?: 'feature' | 'all';
}

/** min-max scales to [0, 1]; z-score to mean 0 and standard deviation 1. Constant features map to 0. */
export function fitNormalizer(dataset: Dataset, kind: NormalizationKind, options: NormalizerOptions = {}): Normalizer {
  const width = featureSize(dataset);
  const groups = options.per === 'all' ? 1 : width;
  const { features, size } = dataset;
  const offset = new Float32Array(width);
  const scale = new Float32Array(width);
  const stats = kind === 'minmax' ? minMax(features, size, width, groups) : meanStd(features, size, width, groups);
  for (let i = 0; i < width; i++) {
    const group = groups === 1 ? 0 : i;
    offset[i] = stats.offset[group]!;
    const spread = stats.spread[group]!;
    // A constant feature carries no information; dividing by ~0 would only blow it up.
    scale[i] = spread > 1e-12 ? 1 / spread : 1;
  }
  return { kind, offset, scale };
}

export function applyNormalizer<D extends Dataset>(dataset: D, normalizer: Normalizer): D {
  const width = normalizer.offset.length;
  if (width !== featureSize(dataset)) {
    throw new RangeError(`Normalizer was fitted on ${width} features but the dataset has ${featureSize(dataset)}`);
  }
  const features = new Float32Array(dataset.features.length);
  const { offset, scale } = normalizer;
  for (let i = 0; i < features.length; i++) {
    const f = i % width;
    features[i] = (dataset.features[i]! - offset[f]!) * scale[f]!;
  }
  return { ...dataset, features };
}

function minMax(features: Float32Array, size: number, width: number, groups: number) {
  const low = new Float64Array(groups).fill(Infinity);
  const high = new Float64Array(groups).fill(-Infinity);
  for (let r = 0; r < size; r++) {
    for (let i = 0; i < width; i++) {
      const g = groups === 1 ? 0 : i;
      const value = features[r * width + i]!;
      if (value < low[g]!) low[g] = value;
      if (value > high[g]!) high[g] = value;
    }
  }
  const spread = new Float64Array(groups);
  for (let g = 0; g < groups; g++) spread[g] = size === 0 ? 0 : high[g]! - low[g]!;
  if (size === 0) low.fill(0);
  return { offset: low, spread };
}

function meanStd(features: Float32Array, size: number, width: number, groups: number) {
  const perGroup = groups === 1 ? size * width : size;
  const mean = new Float64Array(groups);
  for (let r = 0; r < size; r++) for (let i = 0; i < width; i++) mean[groups === 1 ? 0 : i]! += features[r * width + i]!;
  for (let g = 0; g < groups; g++) mean[g] = perGroup === 0 ? 0 : mean[g]! / perGroup;
  // Two passes rather than sum-of-squares: float32 features with large means would lose precision.
  const variance = new Float64Array(groups);
  for (let r = 0; r < size; r++) {
    for (let i = 0; i < width; i++) {
      const g = groups === 1 ? 0 : i;
      const d = features[r * width + i]! - mean[g]!;
      variance[g]! += d * d;
    }
  }
  const spread = new Float64Array(groups);
  for (let g = 0; g < groups; g++) spread[g] = perGroup === 0 ? 0 : Math.sqrt(variance[g]! / perGroup);
  return { offset: mean, spread };
}
