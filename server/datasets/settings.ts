import type { Db } from 'mongodb';
import { collections, type DatasetDoc, type DatasetReading } from '../db/collections';
import { AppError } from '../errors/app-error';
import { readDatasetFile } from './blob-store';
import { DatasetRejected } from './dataset-rejected';
import { inspectOffThread } from './parse-off-thread';
import { putPreview } from './previews';
import { readingOf } from './reading';

export interface DatasetSettings extends Partial<DatasetReading> {
  name?: string;
  labelColumn?: number;
  validationSplit?: number;
  preprocessing?: DatasetDoc['preprocessing'];
}

const READING_FIELDS = ['missing', 'categoricalEncoding', 'columnTypes', 'header'] as const;

/**
 * Renames, picks the label column, sets the validation split or the feature scaling, or changes how the CSV's cells are
 * read (header line, missing values, categorical encoding, column types). A new label column or reading is
 * checked by parsing the stored file again with it, so the class count, feature shape and rows
 * saved are the ones training will find. The record's derived fields change in one
 * single-document update.
 */
export async function updateDatasetSettings(db: Db, dataset: DatasetDoc, settings: DatasetSettings): Promise<DatasetDoc> {
  const set: Partial<DatasetDoc> = { updatedAt: new Date() };
  if (settings.name !== undefined) set.name = settings.name;
  if (settings.validationSplit !== undefined) set.validationSplit = settings.validationSplit;
  if (settings.preprocessing !== undefined) set.preprocessing = settings.preprocessing;

  const current = readingOf(dataset);
  const changedReading = READING_FIELDS.filter((key) => settings[key] !== undefined && JSON.stringify(settings[key]) !== JSON.stringify(current[key]));
  const labelChanged = settings.labelColumn !== undefined && settings.labelColumn !== dataset.labelColumn;
  if (labelChanged || changedReading.length > 0) {
    const field = labelChanged ? 'labelColumn' : changedReading[0]!;
    if (dataset.kind !== 'csv') {
      const message = labelChanged
        ? 'IDX datasets take their labels from the labels file; the label column cannot change.'
        : 'IDX datasets are arrays of numbers: the header line, missing values, categorical encoding and column types apply to CSV files only.';
      throw new DatasetRejected(labelChanged ? 'LABEL_COLUMN_FIXED' : 'READING_CSV_ONLY', message, {}, 400, field);
    }
    const labelColumn = settings.labelColumn ?? dataset.labelColumn ?? undefined;
    if (labelColumn !== undefined && labelColumn >= dataset.columns) {
      throw new DatasetRejected('LABEL_COLUMN_NOT_FOUND', `Column ${labelColumn + 1} does not exist; the dataset has ${dataset.columns} columns.`, {}, 400, 'labelColumn');
    }
    const reading: DatasetReading = { ...current, ...pickReading(settings) };
    if (reading.columnTypes.length > dataset.columns) {
      throw new DatasetRejected('COLUMN_TYPES_MISMATCH', `${reading.columnTypes.length} column types were given; the dataset has ${dataset.columns} columns.`, {}, 400, 'columnTypes');
    }
    const bytes = await readDatasetFile(db, dataset.files.data.fileId);
    const inspected = await inspectOffThread({ kind: 'csv', bytes, ...(labelColumn === undefined ? {} : { labelColumn }), reading, field });
    Object.assign(set, {
      labelColumn: inspected.labelColumn,
      numClasses: inspected.numClasses,
      classNames: inspected.classNames,
      columnNames: inspected.columnNames,
      featureShape: inspected.featureShape,
      rows: inspected.rows,
      droppedRows: inspected.droppedRows ?? 0,
      reading,
    });
    // The preview shows the label column's values as classes and each column's type; it is rewritten first, like at upload.
    await putPreview(db, dataset._id, dataset.ownerId, inspected.preview);
  }
  const updated = await collections(db).datasets.findOneAndUpdate({ _id: dataset._id, ownerId: dataset.ownerId }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw new AppError('NOT_FOUND', 'DATASET_NOT_FOUND', 'No such dataset, or it is not yours.');
  return updated;
}

function pickReading(settings: DatasetSettings): Partial<DatasetReading> {
  return {
    ...(settings.missing === undefined ? {} : { missing: settings.missing }),
    ...(settings.categoricalEncoding === undefined ? {} : { categoricalEncoding: settings.categoricalEncoding }),
    ...(settings.columnTypes === undefined ? {} : { columnTypes: settings.columnTypes }),
    ...(settings.header === undefined ? {} : { header: settings.header }),
  };
}
