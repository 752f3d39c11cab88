import { featureSize, labelSize, type Dataset } from './dataset';
import { DatasetError } from './dataset-error';

export interface Batch {
  /** 0-based batch number within the epoch. */
  readonly index: number;
  /** Examples in this batch; the last one may be smaller unless dropLast is set. */
  readonly size: number;
  /** size x featureSize values: a view into the dataset, not a copy. */
  readonly features: Float32Array;
  /** Class indices (Int32Array) or regression targets (Float32Array), also a view. */
  readonly labels: Int32Array | Float32Array;
}

export interface BatchOptions {
  /** Skip a final partial batch, for kernels compiled for a fixed batch size. Default false. */
  readonly dropLast?: boolean;
}

export function batchCount(dataset: Dataset, batchSize: number, options: BatchOptions = {}): number {
  checkBatchSize(batchSize);
  return options.dropLast ? Math.floor(dataset.size / batchSize) : Math.ceil(dataset.size / batchSize);
}

export function getBatch(dataset: Dataset, index: number, batchSize: number): Batch {
  checkBatchSize(batchSize);
  const start = index * batchSize;
  if (!Number.isInteger(index) || index < 0 || start >= dataset.size) {
    throw new DatasetError('INVALID_OPTION', `Batch ${index} does not exist: ${dataset.size} examples make ${Math.ceil(dataset.size / batchSize)} batches of ${batchSize}`);
  }
  const end = Math.min(start + batchSize, dataset.size);
  const width = featureSize(dataset);
  const labelWidth = labelSize(dataset);
  return {
    index,
    size: end - start,
    features: dataset.features.subarray(start * width, end * width),
    labels: dataset.labels.subarray(start * labelWidth, end * labelWidth),
  };
}

/** Batches in dataset order; shuffle the dataset each epoch for stochastic training. */
export function* batches(dataset: Dataset, batchSize: number, options: BatchOptions = {}): Generator<Batch> {
  const count = batchCount(dataset, batchSize, options);
  for (let i = 0; i < count; i++) yield getBatch(dataset, i, batchSize);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new DatasetError('INVALID_OPTION', `batchSize must be a whole number of at least 1 (got ${batchSize})`);
}
