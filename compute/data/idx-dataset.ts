import type { ClassificationDataset } from './dataset';
import { DatasetError } from './dataset-error';
import type { IdxArray } from './idx';

export interface IdxDatasetOptions {
  /** Default: largest label + 1 (10 for MNIST). */
  readonly numClasses?: number;
}

/**
 * Pairs an IDX image file with its IDX label file. Grey images [n, h, w] get an explicit channel,
 * [h, w, 1], because the model graph uses HWC everywhere. Values are kept as stored (0..255 for
 * MNIST); scale them with a normalizer.
 */
export function idxToDataset(images: IdxArray, labels: IdxArray, options: IdxDatasetOptions = {}): ClassificationDataset {
  const [size, ...exampleDims] = images.dims;
  if (size === undefined || exampleDims.length === 0) {
    throw new DatasetError('IDX_SIZE_MISMATCH', `Image file must have an example dimension and at least one more, got dims [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new DatasetError('IDX_SIZE_MISMATCH', `Label file must hold one label per example (dims [n]), got dims [${labels.dims.join(', ')}]`);
  }
  if (labels.dims[0] !== size) {
    throw new DatasetError('LABEL_COUNT_MISMATCH', `The image file has ${size} examples but the label file has ${labels.dims[0]} labels`);
  }
  if (labels.dtype === 'float32' || labels.dtype === 'float64') {
    throw new DatasetError('LABEL_OUT_OF_RANGE', `Class labels must be stored as integers, but the label file holds ${labels.dtype} values`);
  }

  let max = -1;
  for (let i = 0; i < size; i++) max = Math.max(max, labels.data[i]!);
  const numClasses = options.numClasses ?? max + 1;
  const classLabels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const label = labels.data[i]!;
    if (label < 0 || label >= numClasses) {
      throw new DatasetError('LABEL_OUT_OF_RANGE', `Example ${i + 1}: label ${label} is not a class index from 0 to ${numClasses - 1}`, { row: i + 1 });
    }
    classLabels[i] = label;
  }

  const featureShape = exampleDims.length === 2 ? [...exampleDims, 1] : exampleDims;
  return {
    task: 'classification',
    size,
    featureShape,
    features: new Float32Array(images.data),
    labels: classLabels,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, i) => String(i)),
  };
}
