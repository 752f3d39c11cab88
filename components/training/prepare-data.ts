import { applyNormalizer, fitNormalizer, makeBlobs, makeSpirals, parseCsv, splitDataset, type ClassificationDataset, type Dataset } from '@/compute/data';
import type { DataSpec, DataSummary } from './protocol';

export interface PreparedData {
  readonly train: Dataset;
  readonly validation: Dataset;
  readonly summary: DataSummary;
}

export const SYNTHETIC_LABELS = { spirals: 'Spirals (synthetic, 2 features, 3 classes)', blobs: 'Blobs (synthetic, 2 features, 3 classes)' } as const;

function load(spec: DataSpec): { dataset: Dataset; label: string } {
  if (spec.kind === 'synthetic') {
    const dataset = spec.name === 'spirals' ? makeSpirals({ pointsPerClass: 200, seed: spec.seed }) : makeBlobs({ pointsPerClass: 200, seed: spec.seed });
    return { dataset, label: SYNTHETIC_LABELS[spec.name] };
  }
  const text = new TextDecoder().decode(spec.bytes);
  return { dataset: parseCsv(text, { label: spec.labelColumn ?? -1 }), label: spec.label };
}

/**
 * Builds the train/validation split the worker trains on: a stratified split, then min-max scaling
 * over all features fitted on the training part only (pixel-like data such as digits keeps its
 * shape; the validation set never leaks into the statistics).
 */
export function prepareData(spec: DataSpec, validationFraction: number, seed: number): PreparedData {
  const { dataset, label } = load(spec);
  const fraction = Math.min(0.5, Math.max(0.05, validationFraction));
  const split = splitDataset(dataset, { validationFraction: fraction, seed, stratify: dataset.task === 'classification' });
  const normalizer = fitNormalizer(split.train, 'minmax', { per: 'all' });
  const train = applyNormalizer(split.train, normalizer);
  const validation = applyNormalizer(split.validation, normalizer);
  const classification = dataset.task === 'classification' ? (dataset as ClassificationDataset) : null;
  return {
    train,
    validation,
    summary: {
      label,
      trainSize: train.size,
      validationSize: validation.size,
      featureShape: [...dataset.featureShape],
      numClasses: classification?.numClasses ?? 0,
      classNames: classification ? [...classification.classNames] : [],
    },
  };
}
