import type { Db } from 'mongodb';
import { collections, type DatasetDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { readDatasetFile } from './blob-store';
import { DatasetRejected } from './dataset-rejected';
import { inspectOffThread } from './parse-off-thread';
import { putPreview } from './previews';

export interface DatasetSettings {
  name?: string;
  labelColumn?: number;
  validationSplit?: number;
}

/**
 * Renames, picks the label column, or sets the validation split. A new label column is checked by
 * parsing the stored file again with it, so the class count saved is the one training will find.
 * The record's derived fields change in one single-document update.
 */
export async function updateDatasetSettings(db: Db, dataset: DatasetDoc, settings: DatasetSettings): Promise<DatasetDoc> {
  const set: Partial<DatasetDoc> = { updatedAt: new Date() };
  if (settings.name !== undefined) set.name = settings.name;
  if (settings.validationSplit !== undefined) set.validationSplit = settings.validationSplit;
  if (settings.labelColumn !== undefined && settings.labelColumn !== dataset.labelColumn) {
    if (dataset.kind !== 'csv') {
      throw new DatasetRejected('LABEL_COLUMN_FIXED', 'IDX datasets take their labels from the labels file; the label column cannot change.', {}, 400, 'labelColumn');
    }
    if (settings.labelColumn >= dataset.columns) {
      throw new DatasetRejected('LABEL_COLUMN_NOT_FOUND', `Column ${settings.labelColumn + 1} does not exist; the dataset has ${dataset.columns} columns.`, {}, 400, 'labelColumn');
    }
    const inspected = await inspectOffThread({ kind: 'csv', bytes: await readDatasetFile(db, dataset.files.data.fileId), labelColumn: settings.labelColumn });
    Object.assign(set, {
      labelColumn: inspected.labelColumn,
      numClasses: inspected.numClasses,
      classNames: inspected.classNames,
      columnNames: inspected.columnNames,
    });
    // The preview shows the label column's values as classes; it is rewritten first, like at upload.
    await putPreview(db, dataset._id, dataset.ownerId, inspected.preview);
  }
  const updated = await collections(db).datasets.findOneAndUpdate({ _id: dataset._id, ownerId: dataset.ownerId }, { $set: set }, { returnDocument: 'after' });
  if (!updated) throw new AppError('NOT_FOUND', 'DATASET_NOT_FOUND', 'No such dataset, or it is not yours.');
  return updated;
}
