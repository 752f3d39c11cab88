import { DatasetRejected } from './dataset-rejected';
import { MAX_CLASSES, MAX_NAME_LENGTH } from './limits';

const amount = (n: number) => n.toLocaleString('en-US');

/**
 * Column and class names are stored with the dataset record, so their number and length are capped:
 * a header of two 8 MB names, or an id column taken as labels, would otherwise make a record over
 * MongoDB's 16 MB limit.
 */
export function checkStoredNames(columnNames: readonly string[], classNames: readonly string[], labelColumn: number | null, field = 'file'): void {
  if (classNames.length > MAX_CLASSES) {
    const where = labelColumn === null ? 'The labels' : `The label column (column ${labelColumn + 1})`;
    throw new DatasetRejected(
      'TOO_MANY_CLASSES',
      `${where} has ${amount(classNames.length)} distinct values; a dataset can have at most ${amount(MAX_CLASSES)} classes. Choose a column of class labels.`,
      labelColumn === null ? {} : { column: labelColumn + 1 },
      400,
      field,
    );
  }
  const longColumn = columnNames.findIndex((name) => name.length > MAX_NAME_LENGTH);
  if (longColumn >= 0) {
    throw new DatasetRejected(
      'NAME_TOO_LONG',
      `The header name of column ${longColumn + 1} is ${amount(columnNames[longColumn]!.length)} characters long; names can be at most ${MAX_NAME_LENGTH}.`,
      { column: longColumn + 1 },
      400,
      field,
    );
  }
  const longClass = classNames.find((name) => name.length > MAX_NAME_LENGTH);
  if (longClass !== undefined) {
    throw new DatasetRejected(
      'NAME_TOO_LONG',
      `A label is ${amount(longClass.length)} characters long; class names can be at most ${MAX_NAME_LENGTH}.`,
      labelColumn === null ? {} : { column: labelColumn + 1 },
      400,
      field,
    );
  }
}
