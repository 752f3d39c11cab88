import type { DatasetDoc } from '../db/collections';

/** What the API says about a stored dataset (no internal file ids). */
export function datasetSummary(d: DatasetDoc) {
  return {
    id: d._id.toHexString(),
    name: d.name,
    kind: d.kind,
    bytes: d.bytes,
    sha256: d.sha256,
    hasLabelsFile: Boolean(d.files.labels),
    rows: d.rows,
    columns: d.columns,
    columnNames: d.columnNames,
    featureShape: d.featureShape,
    labelColumn: d.labelColumn,
    numClasses: d.numClasses,
    classNames: d.classNames,
    validationSplit: d.validationSplit,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}

export type DatasetSummary = ReturnType<typeof datasetSummary>;
