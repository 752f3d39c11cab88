import type { DatasetDoc } from '../db/collections';
import { readingOf } from './reading';
import { scalingOf } from './scaling';

/** What lists read of a dataset record: not its column and class names (thousands of them at most). */
export const DATASET_LIST_PROJECTION = {
  name: 1,
  kind: 1,
  bytes: 1,
  sha256: 1,
  files: 1,
  rows: 1,
  columns: 1,
  featureShape: 1,
  labelColumn: 1,
  numClasses: 1,
  validationSplit: 1,
  reading: 1,
  preprocessing: 1,
  createdAt: 1,
  updatedAt: 1,
} as const;

export type DatasetListDoc = Pick<DatasetDoc, '_id' | keyof typeof DATASET_LIST_PROJECTION>;

/** A dataset as a list shows it (no internal file ids). */
export function datasetListItem(d: DatasetListDoc) {
  return {
    id: d._id.toHexString(),
    name: d.name,
    kind: d.kind,
    bytes: d.bytes,
    sha256: d.sha256,
    hasLabelsFile: Boolean(d.files.labels),
    rows: d.rows,
    columns: d.columns,
    featureShape: d.featureShape,
    labelColumn: d.labelColumn,
    numClasses: d.numClasses,
    validationSplit: d.validationSplit,
    /** How the trainer must read the CSV (small: column types are stored only when someone sets them). */
    reading: readingOf(d),
    /** The feature scaling the training panel starts from. */
    preprocessing: scalingOf(d),
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

/** What the API says about one stored dataset: the list's facts and its column and class names. */
export function datasetSummary(d: DatasetDoc) {
  return { ...datasetListItem(d), columnNames: d.columnNames, classNames: d.classNames, droppedRows: d.droppedRows ?? 0 };
}

export type DatasetSummary = ReturnType<typeof datasetSummary>;
