import { DatasetError, idxToDataset, parseIdx, type Dataset, type IdxArray, type IdxLimits } from '../../compute/data';
import { DatasetRejected, rejectionFrom } from './dataset-rejected';
import type { InspectedDataset } from './inspect-csv';
import { MAX_CLASSES, MAX_COLUMNS, MAX_IDX_DIMENSION, MAX_IDX_VALUES } from './limits';
import { numberedColumns, tableView } from './table-view';

/** Every example becomes a row of the table, one column per value plus the label. */
const IDX_LIMITS: IdxLimits = { maxDimension: MAX_IDX_DIMENSION, maxExampleValues: MAX_COLUMNS - 1, maxValues: MAX_IDX_VALUES };

/**
 * An IDX upload is the examples file ([n, ...], e.g. MNIST's images) and, usually, its labels file
 * ([n]); they are checked together so a count mismatch is caught now, not during training.
 * Call it through inspectOffThread, like inspectCsv.
 */
export function inspectIdx(data: Uint8Array, labels?: Uint8Array): InspectedDataset {
  try {
    const images = parseIdx(data, IDX_LIMITS);
    if (images.dims.length < 2) {
      throw new DatasetRejected(
        'IDX_NOT_EXAMPLES',
        `This IDX file holds a single list of ${images.dims[0]} values, which looks like a labels file. Upload the examples file (e.g. images) with it as its labels.`,
      );
    }
    const dataset: Dataset = labels
      ? idxToDataset(images, parseLabels(labels))
      : { task: 'regression', size: images.dims[0]!, featureShape: exampleShape(images.dims), features: new Float32Array(images.data), labels: new Float32Array(0), labelShape: [0] };
    const width = images.dims.slice(1).reduce((a, b) => a * b, 1);
    const names = [...numberedColumns('value', width), ...(labels ? ['label'] : [])];
    return { rows: dataset.size, featureShape: [...dataset.featureShape], ...tableView(dataset, labels ? width : null, names) };
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error);
    throw error;
  }
}

function parseLabels(bytes: Uint8Array): IdxArray {
  let labels: IdxArray;
  try {
    labels = parseIdx(bytes, IDX_LIMITS);
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error, 'labels');
    throw error;
  }
  // The class count is the largest label + 1, and a name is made for each: an int32 label of two
  // billion must be refused before that list is built. (Float labels are idxToDataset's to refuse.)
  if (labels.dtype === 'float32' || labels.dtype === 'float64') return labels;
  let max = -Infinity;
  for (let i = 0; i < labels.data.length; i++) max = Math.max(max, labels.data[i]!);
  if (max + 1 > MAX_CLASSES) {
    const amount = (n: number) => n.toLocaleString('en-US');
    throw new DatasetRejected('TOO_MANY_CLASSES', `The largest label is ${amount(max)}; a dataset can have at most ${amount(MAX_CLASSES)} classes (labels 0 to ${amount(MAX_CLASSES - 1)}).`, {}, 400, 'labels');
  }
  return labels;
}

/** Grey images [n, h, w] get an explicit channel, as idxToDataset does: the graph is HWC. */
function exampleShape(dims: readonly number[]): number[] {
  const rest = dims.slice(1);
  return rest.length === 2 ? [...rest, 1] : rest;
}
