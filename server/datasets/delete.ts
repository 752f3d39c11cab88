import type { Db } from 'mongodb';
import { collections, type DatasetDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { deleteDatasetFile } from './blob-store';
import { deletePreview } from './previews';

/**
 * The record goes first (the dataset disappears for everyone at once), then its preview, its files
 * and the models' references to it. A crash in between leaves unreachable files, never a dataset
 * without data; the files are last so the orphan sweeper, which finds them, also finds the preview.
 */
export async function deleteDataset(db: Db, dataset: DatasetDoc): Promise<void> {
  const c = collections(db);
  const result = await c.datasets.deleteOne({ _id: dataset._id, ownerId: dataset.ownerId });
  if (result.deletedCount !== 1) throw new AppError('NOT_FOUND', 'DATASET_NOT_FOUND', 'No such dataset, or it is not yours.');
  await deletePreview(db, dataset._id);
  await deleteDatasetFile(db, dataset.files.data.fileId);
  if (dataset.files.labels) await deleteDatasetFile(db, dataset.files.labels.fileId);
  await c.models.updateMany({ datasetId: dataset._id.toHexString() }, { $unset: { datasetId: '' } });
}
