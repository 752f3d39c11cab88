import type { ClassificationDataset } from './dataset';
import { DatasetError } from './dataset-error';
import { gaussian, mulberry32 } from './random';

export interface SpiralOptions {
  /** Default 3 arms. */
  readonly numClasses?: number;
  /** Default 100. */
  readonly pointsPerClass?: number;
  /** Standard deviation of angular noise; default 0.2. */
  readonly noise?: number;
  readonly seed?: number;
}

/**
 * Interleaved 2-D spirals, one arm per class (the classic CS231n toy problem): not linearly
 * separable, so a model must learn a non-linear boundary.
 */
export function makeSpirals(options: SpiralOptions = {}): ClassificationDataset {
  const numClasses = count('numClasses', options.numClasses ?? 3, 2);
  const perClass = count('pointsPerClass', options.pointsPerClass ?? 100, 2);
  const noise = nonNegative('noise', options.noise ?? 0.2);
  const random = mulberry32(options.seed ?? 1);
  const size = numClasses * perClass;
  const features = new Float32Array(size * 2);
  const labels = new Int32Array(size);
  for (let c = 0; c < numClasses; c++) {
    for (let i = 0; i < perClass; i++) {
      const index = c * perClass + i;
      const radius = i / (perClass - 1);
      // Arms start 4π/K radians apart and each sweeps the same angle, so neighbours interleave.
      const angle = ((c + radius) * 4 * Math.PI) / numClasses + gaussian(random) * noise;
      features[2 * index] = radius * Math.sin(angle);
      features[2 * index + 1] = radius * Math.cos(angle);
      labels[index] = c;
    }
  }
  return classification(size, [2], features, labels, numClasses);
}

export interface BlobOptions {
  readonly numClasses?: number;
  readonly pointsPerClass?: number;
  /** Default 2. */
  readonly numFeatures?: number;
  /** Standard deviation of each blob; default 1. */
  readonly spread?: number;
  /** Centres are drawn uniformly from [-centerRange, centerRange] per feature; default 10. */
  readonly centerRange?: number;
  readonly seed?: number;
}

/** Gaussian clusters, one per class: the easy, linearly separable sanity check. */
export function makeBlobs(options: BlobOptions = {}): ClassificationDataset {
  const numClasses = count('numClasses', options.numClasses ?? 3, 2);
  const perClass = count('pointsPerClass', options.pointsPerClass ?? 100, 1);
  const numFeatures = count('numFeatures', options.numFeatures ?? 2, 1);
  const spread = nonNegative('spread', options.spread ?? 1);
  const range = nonNegative('centerRange', options.centerRange ?? 10);
  const random = mulberry32(options.seed ?? 1);
  const centers = Float64Array.from({ length: numClasses * numFeatures }, () => (random() * 2 - 1) * range);
  const size = numClasses * perClass;
  const features = new Float32Array(size * numFeatures);
  const labels = new Int32Array(size);
  for (let c = 0; c < numClasses; c++) {
    for (let i = 0; i < perClass; i++) {
      const index = c * perClass + i;
      for (let f = 0; f < numFeatures; f++) features[index * numFeatures + f] = centers[c * numFeatures + f]! + gaussian(random) * spread;
      labels[index] = c;
    }
  }
  return classification(size, [numFeatures], features, labels, numClasses);
}

function classification(size: number, featureShape: number[], features: Float32Array, labels: Int32Array, numClasses: number): ClassificationDataset {
  const classNames = Array.from({ length: numClasses }, (_, i) => String(i));
  return { task: 'classification', size, featureShape, features, labels, numClasses, classNames };
}

function count(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new DatasetError('INVALID_OPTION', `${name} must be a whole number of at least ${min} (got ${value})`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new DatasetError('INVALID_OPTION', `${name} must be a number of at least 0 (got ${value})`);
  return value;
}
