import { DatasetError, idxToDataset, parseIdx, type Dataset } from '../../compute/data';
import { DatasetRejected, rejectionFrom } from './dataset-rejected';
import type { InspectedDataset } from './inspect-csv';
import { numberedColumns, tableView } from './table-view';

/**
 * An IDX upload is the examples file ([n, ...], e.g. MNIST's images) and, usually, its labels file
 * ([n]); they are checked together so a count mismatch is caught now, not during training.
 */
export function inspectIdx(data: Uint8Array, labels?: Uint8Array): InspectedDataset {
  try {
    const images = parseIdx(data);
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

function parseLabels(bytes: Uint8Array) {
  try {
    return parseIdx(bytes);
  } catch (error) {
    if (error instanceof DatasetError) throw rejectionFrom(error, 'labels');
    throw error;
  }
}

/** Grey images [n, h, w] get an explicit channel, as idxToDataset does: the graph is HWC. */
function exampleShape(dims: readonly number[]): number[] {
  const rest = dims.slice(1);
  return rest.length === 2 ? [...rest, 1] : rest;
}
