import { encodedWidth, type CsvTable } from '../../compute/data';
import type { DatasetColumnStats } from '../db/collections';
import { ColumnStatsAccumulator } from './column-stats';
import { labelValues, type TableView } from './table-view';

/**
 * A parsed CSV seen as the table a person uploaded: its columns in file order, the first rows as
 * the file wrote them (`14.23`, not float32's 14.229999542236328), and per-column statistics over
 * every kept row (numeric columns from their values, categorical ones by their categories).
 */
export function csvTableView(table: CsvTable): TableView {
  const { dataset, columns, labelColumn } = table;
  const classification = dataset.task === 'classification' ? dataset : null;
  const width = dataset.featureShape.reduce((a, b) => a * b, 1);
  const labels = classification ? labelValues(classification) : null;

  // Where each file column's encoded features start.
  const offsets = new Array<number>(columns.length).fill(-1);
  let next = 0;
  columns.forEach((column, c) => {
    if (c === labelColumn) return;
    offsets[c] = next;
    next += encodedWidth(column.type, column.categories.length, table.categoricalEncoding);
  });

  const stats: DatasetColumnStats[] = columns.map((column, c) => {
    if (c !== labelColumn && column.type === 'categorical') {
      return { name: column.name, min: 0, max: 0, mean: 0, std: 0, missing: column.missing, distinct: column.categories.length, type: 'categorical' };
    }
    const accumulator = new ColumnStatsAccumulator();
    for (let r = 0; r < dataset.size; r++) {
      const value = c === labelColumn ? (labels ? labels.numeric[dataset.labels[r]!]! : dataset.labels[r]!) : dataset.features[r * width + offsets[c]!]!;
      // Cells left missing for a mean fill are counted in `missing`, not averaged.
      if (!Number.isNaN(value)) accumulator.add(value);
    }
    return { ...accumulator.result(column.name), missing: column.missing, type: 'numeric' };
  });

  const rows = table.firstRows.map((cells, r) =>
    cells.map((cell, c) => (c === labelColumn && classification && table.header === 'scikit' ? classification.classNames[classification.labels[r]!]! : cell)),
  );
  return {
    columnNames: columns.map((column) => column.name),
    labelColumn: classification ? labelColumn : null,
    numClasses: classification?.numClasses ?? null,
    classNames: classification ? [...classification.classNames] : [],
    preview: { rows, stats },
  };
}
