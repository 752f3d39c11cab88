import { z } from 'zod';
import { featureSize, type Dataset } from './dataset';
import { DatasetError } from './dataset-error';

/** How features are scaled before the model sees them; standardisation is the default for tabular data. */
export const PREPROCESSING_KINDS = ['standardize', 'minmax', 'none'] as const;
export type PreprocessingKind = (typeof PREPROCESSING_KINDS)[number];
export const DEFAULT_PREPROCESSING: PreprocessingKind = 'standardize';

/** Largest feature count a fitted preprocessing may describe (it travels with runs and exports as JSON). */
export const MAX_PREPROCESSING_FEATURES = 65_536;

const values = z.array(z.number().refine(Number.isFinite, 'must be a finite number')).min(1).max(MAX_PREPROCESSING_FEATURES);

/**
 * A fitted preprocessing as plain JSON, part of the model: x' = (x - mean) / std, or
 * x' = (x - min) / (max - min), per feature element (row-major over the feature shape). A constant
 * feature is stored with std 1 (or max = min + 1), so every consumer can apply the formula as is.
 *
 * `fill`, when present (the dataset's missing-value policy was 'mean'): each feature's mean over the
 * training rows, which a missing (NaN) raw value takes before scaling, in training and in every
 * later use (Predict, the ONNX and PyTorch exports). Without it a missing value is refused.
 */
const fill = values.optional();
export const PreprocessingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('standardize'), mean: values, std: values, fill }),
  z.object({ kind: z.literal('minmax'), min: values, max: values, fill }),
  z.object({ kind: z.literal('none'), features: z.number().int().min(1).max(MAX_PREPROCESSING_FEATURES), fill }),
]).superRefine((p, ctx) => {
  const [a, b] = p.kind === 'standardize' ? [p.mean, p.std] : p.kind === 'minmax' ? [p.min, p.max] : [[], []];
  if (a.length !== b.length) ctx.addIssue({ code: 'custom', message: `Preprocessing statistics disagree on the feature count (${a.length} and ${b.length})` });
  const width = p.kind === 'none' ? p.features : a.length;
  if (p.fill && p.fill.length !== width) ctx.addIssue({ code: 'custom', message: `The missing-value fill has ${p.fill.length} values for ${width} features` });
  if (p.kind === 'standardize' && p.std.some((s) => !(s > 0))) ctx.addIssue({ code: 'custom', message: 'Standard deviations must be positive' });
  if (p.kind === 'minmax' && p.min.some((m, i) => !(p.max[i]! > m))) ctx.addIssue({ code: 'custom', message: 'Each max must be above its min' });
});

export type Preprocessing = z.infer<typeof PreprocessingSchema>;

/** Spreads below this are treated as a constant feature: dividing by ~0 would only blow it up. */
const MIN_SPREAD = 1e-12;

/**
 * Fits the statistics on the given (training) rows only; validation, test and inference rows are
 * then scaled with them, so nothing about them leaks into training.
 */
export function fitPreprocessing(train: Dataset, kind: PreprocessingKind): Preprocessing {
  const width = featureSize(train);
  if (kind === 'none') return { kind, features: width };
  if (train.size === 0) throw new DatasetError('PREPROCESSING_NO_ROWS', 'Preprocessing needs at least one training row to fit on');
  const { features, size } = train;
  if (kind === 'minmax') {
    const min = new Array<number>(width).fill(Infinity);
    const max = new Array<number>(width).fill(-Infinity);
    for (let r = 0; r < size; r++) {
      for (let i = 0; i < width; i++) {
        const v = features[r * width + i]!;
        if (v < min[i]!) min[i] = v;
        if (v > max[i]!) max[i] = v;
      }
    }
    for (let i = 0; i < width; i++) if (!(max[i]! - min[i]! > MIN_SPREAD)) max[i] = min[i]! + 1;
    return { kind, min, max };
  }
  const mean = new Array<number>(width).fill(0);
  for (let r = 0; r < size; r++) for (let i = 0; i < width; i++) mean[i]! += features[r * width + i]!;
  for (let i = 0; i < width; i++) mean[i] = mean[i]! / size;
  // Two passes rather than sum-of-squares: large means would lose the variance to rounding.
  const std = new Array<number>(width).fill(0);
  for (let r = 0; r < size; r++) {
    for (let i = 0; i < width; i++) {
      const d = features[r * width + i]! - mean[i]!;
      std[i]! += d * d;
    }
  }
  for (let i = 0; i < width; i++) {
    const s = Math.sqrt(std[i]! / size);
    std[i] = s > MIN_SPREAD ? s : 1;
  }
  return { kind, mean, std };
}

export function preprocessingWidth(p: Preprocessing): number {
  return p.kind === 'standardize' ? p.mean.length : p.kind === 'minmax' ? p.min.length : p.features;
}

/**
 * The transform as x' = (x - offset) / divisor in float32, exactly the constants an exported graph
 * uses (Sub then Div), so our pipeline and the export round alike.
 */
export function preprocessingConstants(p: Preprocessing): { offset: Float32Array; divisor: Float32Array } | null {
  if (p.kind === 'none') return null;
  if (p.kind === 'standardize') return { offset: Float32Array.from(p.mean), divisor: Float32Array.from(p.std) };
  return { offset: Float32Array.from(p.min), divisor: Float32Array.from(p.max.map((m, i) => m - p.min[i]!)) };
}

/** The preprocessing with the missing-value fill its training used (fillMissingWithTrainMean's means). */
export function withMissingFill(p: Preprocessing, means: Float32Array): Preprocessing {
  return { ...p, fill: Array.from(means) };
}

/**
 * Scales raw feature rows (row-major, any row count) with a fitted preprocessing; a NaN (a missing
 * value) first takes the preprocessing's fill, where it has one, as an export's graph does.
 */
export function applyPreprocessingToFeatures(p: Preprocessing, raw: Float32Array): Float32Array {
  const width = preprocessingWidth(p);
  if (raw.length % width !== 0) throw new DatasetError('PREPROCESSING_FEATURE_MISMATCH', `The preprocessing was fitted on ${width} features; ${raw.length} values are not whole rows of that`);
  // Rounded to float32 as the exports' fill constant is, so every consumer fills alike.
  const fill = p.fill ? Float32Array.from(p.fill) : null;
  const constants = preprocessingConstants(p);
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const f = i % width;
    const value = fill && Number.isNaN(raw[i]) ? fill[f]! : raw[i]!;
    out[i] = constants ? Math.fround(value - constants.offset[f]!) / constants.divisor[f]! : value;
  }
  return out;
}

export function applyPreprocessing<D extends Dataset>(dataset: D, p: Preprocessing): D {
  if (preprocessingWidth(p) !== featureSize(dataset)) {
    throw new DatasetError('PREPROCESSING_FEATURE_MISMATCH', `The preprocessing was fitted on ${preprocessingWidth(p)} features but the dataset has ${featureSize(dataset)}`);
  }
  return { ...dataset, features: applyPreprocessingToFeatures(p, dataset.features) };
}
