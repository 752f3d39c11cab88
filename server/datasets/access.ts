import { ObjectId, type Db } from 'mongodb';
import { collections, type DatasetDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

const notFound = () => new AppError('NOT_FOUND', 'DATASET_NOT_FOUND', 'No such dataset, or it is not yours.');

/** The caller's own dataset. Someone else's answers exactly like a missing one, so ids cannot be probed. */
export async function requireOwnDataset(db: Db, datasetId: string, userId: ObjectId): Promise<DatasetDoc> {
  if (!ObjectId.isValid(datasetId)) throw notFound();
  const dataset = await collections(db).datasets.findOne({ _id: new ObjectId(datasetId), ownerId: userId });
  if (!dataset) throw notFound();
  return dataset;
}

/**
 * A dataset the caller may read: their own, or one attached to a model shared with them (a
 * collaborator training that model in their tab needs its data).
 */
export async function requireReadableDataset(db: Db, datasetId: string, userId: ObjectId): Promise<DatasetDoc> {
  if (!ObjectId.isValid(datasetId)) throw notFound();
  const c = collections(db);
  const dataset = await c.datasets.findOne({ _id: new ObjectId(datasetId) });
  if (!dataset) throw notFound();
  if (dataset.ownerId.equals(userId)) return dataset;
  const viaModel = await c.models.findOne({ datasetId, $or: [{ ownerId: userId }, { 'collaborators.userId': userId }] }, { projection: { _id: 1 } });
  if (!viaModel) throw notFound();
  return dataset;
}
