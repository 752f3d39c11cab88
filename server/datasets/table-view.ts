import { featureSize, shortestFloat32, type ClassificationDataset, type Dataset } from '../../compute/data';
import type { DatasetColumnStats } from '../db/collections';
import { ColumnStatsAccumulator } from './column-stats';
import { PREVIEW_ROWS } from './limits';

export interface TableView {
  columnNames: string[];
  /** 0-based position of the label among the columns; null when there are no labels. */
  labelColumn: number | null;
  numClasses: number | null;
  classNames: string[];
  preview: { rows: (number | string)[][]; stats: DatasetColumnStats[] };
}

/**
 * A parsed dataset seen as the table a person uploaded: features in file order with the label put
 * back at its column, the first rows, and per-column statistics over every row.
 */
export function tableView(dataset: Dataset, labelColumn: number | null, columnNames: string[]): TableView {
  const classification = dataset.task === 'classification' && labelColumn !== null ? (dataset as ClassificationDataset) : null;
  const width = featureSize(dataset);
  const columns = width + (classification ? 1 : 0);
  const labelValue = classification ? labelValues(classification) : null;
  const stats = Array.from({ length: columns }, () => new ColumnStatsAccumulator());
  const rows: (number | string)[][] = [];
  for (let r = 0; r < dataset.size; r++) {
    const preview = r < PREVIEW_ROWS ? new Array<number | string>(columns) : null;
    let feature = r * width;
    for (let c = 0; c < columns; c++) {
      if (classification && c === labelColumn) {
        const label = classification.labels[r]!;
        stats[c]!.add(labelValue!.numeric[label]!);
        if (preview) preview[c] = labelValue!.shown[label]!;
        continue;
      }
      const value = dataset.features[feature++]!;
      stats[c]!.add(value);
      // Generated and IDX data has no cell text: float32 values are shown in their shortest form.
      if (preview) preview[c] = shortestFloat32(value);
    }
    if (preview) rows.push(preview);
  }
  return {
    columnNames,
    labelColumn: classification ? labelColumn : null,
    numClasses: classification?.numClasses ?? null,
    classNames: classification ? [...classification.classNames] : [],
    preview: { rows, stats: stats.map((s, c) => s.result(columnNames[c] ?? `column ${c + 1}`)) },
  };
}

/** Labels as the file wrote them: numbers stay numbers; text classes are counted by their index. */
export function labelValues(dataset: ClassificationDataset): { numeric: number[]; shown: (number | string)[] } {
  const parsed = dataset.classNames.map((name) => Number(name));
  const numericNames = dataset.classNames.every((name, i) => name.trim() !== '' && Number.isFinite(parsed[i]));
  return {
    numeric: numericNames ? parsed : dataset.classNames.map((_, i) => i),
    shown: numericNames ? parsed : [...dataset.classNames],
  };
}

export function numberedColumns(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);
}

type Preview = TableView['preview'];
export type StoredPreview = { rows: { cells: (number | string)[] }[]; stats: Preview['stats'] };

/** FerretDB v1 stores no arrays of arrays, so each preview row is wrapped in an object. */
export function storedPreview(preview: Preview): StoredPreview {
  return { rows: preview.rows.map((cells) => ({ cells })), stats: preview.stats };
}

export function previewFromStored(stored: StoredPreview): Preview {
  return { rows: stored.rows.map((row) => row.cells), stats: stored.stats };
}
