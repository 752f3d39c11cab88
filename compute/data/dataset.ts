/**
 * An in-memory dataset ready for training: features are one row-major Float32Array
 * (size x product(featureShape)) so batches are zero-copy views that upload straight to a GPU buffer.
 */
interface DatasetBase {
  /** Number of examples. */
  readonly size: number;
  /** Shape of one example, without the batch dimension; images are HWC. */
  readonly featureShape: readonly number[];
  readonly features: Float32Array;
  /** One name per feature: from a CSV header, when there was one (one-hot features read `column=category`). */
  readonly featureNames?: readonly string[];
}

export interface ClassificationDataset extends DatasetBase {
  readonly task: 'classification';
  /** Class index 0..numClasses-1 per example. */
  readonly labels: Int32Array;
  readonly numClasses: number;
  /** What each class index meant in the source data, e.g. 'setosa' or '7'. */
  readonly classNames: readonly string[];
}

export interface RegressionDataset extends DatasetBase {
  readonly task: 'regression';
  /** size x product(labelShape) targets, row-major. */
  readonly labels: Float32Array;
  readonly labelShape: readonly number[];
}

export type Dataset = ClassificationDataset | RegressionDataset;

/** Elements per example. */
export function featureSize(dataset: Pick<Dataset, 'featureShape'>): number {
  let size = 1;
  for (const dim of dataset.featureShape) size *= dim;
  return size;
}

/** Label elements per example: 1 for class indices. */
export function labelSize(dataset: Dataset): number {
  if (dataset.task === 'classification') return 1;
  let size = 1;
  for (const dim of dataset.labelShape) size *= dim;
  return size;
}
