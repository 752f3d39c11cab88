import type { Db, ObjectId } from 'mongodb';
import { storedPreview, type StoredPreview, type TableView } from './table-view';

/**
 * A dataset's first rows and per-column statistics, kept out of the `datasets` records that lists
 * read. Keyed by the dataset's _id and written before that record, so a crash in between leaves
 * only an orphan preview, which sweep-orphans removes.
 */
export interface DatasetPreviewDoc extends StoredPreview {
  _id: ObjectId;
  ownerId: ObjectId;
  createdAt: Date;
}

export const PREVIEWS_COLLECTION = 'datasetPreviews';

export function previewsCollection(db: Db) {
  return db.collection<DatasetPreviewDoc>(PREVIEWS_COLLECTION);
}

/** Writes (or, after a new label column, rewrites) the preview of a dataset. */
export async function putPreview(db: Db, datasetId: ObjectId, ownerId: ObjectId, preview: TableView['preview']): Promise<void> {
  await previewsCollection(db).replaceOne({ _id: datasetId }, { ownerId, createdAt: new Date(), ...storedPreview(preview) }, { upsert: true });
}

export async function readPreview(db: Db, datasetId: ObjectId): Promise<StoredPreview | null> {
  return previewsCollection(db).findOne({ _id: datasetId }, { projection: { _id: 0, rows: 1, stats: 1 } });
}

export async function deletePreview(db: Db, datasetId: ObjectId): Promise<void> {
  await previewsCollection(db).deleteOne({ _id: datasetId });
}
