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
 * A dataset the caller may read: their own, or one that a model OF ITS OWNER trains on, while the
 * caller is on that model's access list (a collaborator training it in their tab needs its data).
 * Removing someone from the model ends their access; a copy someone else made of the model, or
 * shares onward, grants nothing. Equality queries only (no $or), side by side: the owner's models
 * on this dataset and the caller's memberships on the owner's models.
 */
export async function requireReadableDataset(db: Db, datasetId: string, userId: ObjectId): Promise<DatasetDoc> {
  if (!ObjectId.isValid(datasetId)) throw notFound();
  const c = collections(db);
  const dataset = await c.datasets.findOne({ _id: new ObjectId(datasetId) });
  if (!dataset) throw notFound();
  if (dataset.ownerId.equals(userId)) return dataset;
  const [usedBy, memberships] = await Promise.all([
    c.models.find({ datasetId, ownerId: dataset.ownerId }, { projection: { _id: 1 } }).toArray(),
    c.modelMembers.find({ userId, ownerId: dataset.ownerId }, { projection: { modelId: 1 } }).toArray(),
  ]);
  const mine = new Set(memberships.map((m) => m.modelId.toHexString()));
  if (!usedBy.some((m) => mine.has(m._id.toHexString()))) throw notFound();
  return dataset;
}
