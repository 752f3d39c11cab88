import { applyNormalizer, fillMissingWithTrainMean, fitNormalizer, makeBlobs, makeSpirals, parseCsv, type ClassificationDataset, type Dataset } from '@/compute/data';
import { holdOut } from '@/compute/train';
import type { DataSpec, DataSummary } from './protocol';

export interface PreparedData {
  readonly train: Dataset;
  readonly validation: Dataset;
  /** Held out from training and early stopping; scored once when the run ends. */
  readonly test: Dataset | undefined;
  readonly summary: DataSummary;
}

export const SYNTHETIC_LABELS = { spirals: 'Spirals (synthetic, 2 features, 3 classes)', blobs: 'Blobs (synthetic, 2 features, 3 classes)' } as const;

function load(spec: DataSpec): { dataset: Dataset; label: string } {
  if (spec.kind === 'synthetic') {
    const dataset = spec.name === 'spirals' ? makeSpirals({ pointsPerClass: 200, seed: spec.seed }) : makeBlobs({ pointsPerClass: 200, seed: spec.seed });
    return { dataset, label: SYNTHETIC_LABELS[spec.name] };
  }
  const text = new TextDecoder().decode(spec.bytes);
  return { dataset: parseCsv(text, { label: spec.labelColumn ?? -1, ...spec.reading }), label: spec.label };
}

/**
 * Builds the train/validation/test split the worker trains on (stratified, test rows drawn first),
 * then min-max scaling over all features fitted on the training part only (pixel-like data such
 * as digits keeps its shape; validation and test rows never leak into the statistics).
 */
export function prepareData(spec: DataSpec, validationFraction: number, testFraction: number, seed: number): PreparedData {
  const { dataset, label } = load(spec);
  const fraction = Math.min(0.5, Math.max(0.05, validationFraction));
  const held = holdOut(dataset, { validationFraction: fraction, testFraction: Math.min(0.5, Math.max(0, testFraction)), seed });
  // Cells left missing by the dataset's 'mean' policy are filled here, from the training rows only.
  const filled = fillMissingWithTrainMean(held.train, held.validation!, ...(held.test ? [held.test] : []));
  const split = { train: filled.train, validation: filled.others[0], test: held.test ? filled.others[1] : undefined };
  const normalizer = fitNormalizer(split.train, 'minmax', { per: 'all' });
  const train = applyNormalizer(split.train, normalizer);
  const validation = applyNormalizer(split.validation!, normalizer);
  const test = split.test ? applyNormalizer(split.test, normalizer) : undefined;
  const classification = dataset.task === 'classification' ? (dataset as ClassificationDataset) : null;
  return {
    train,
    validation,
    test,
    summary: {
      label,
      trainSize: train.size,
      validationSize: validation.size,
      testSize: test?.size ?? 0,
      featureShape: [...dataset.featureShape],
      numClasses: classification?.numClasses ?? 0,
      classNames: classification ? [...classification.classNames] : [],
    },
  };
}
