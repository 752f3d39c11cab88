import { ObjectId, type Db } from 'mongodb';
import { YjsStore } from '../../collab/server/persistence';
import { closeModelRoom } from '../collab-bridge';
import { collections, type ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import type { Graph } from '../../compute/graph';

const notFound = () => new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');

export async function insertModel(
  db: Db,
  fields: { ownerId: ObjectId; name: string; description?: string; graph: Graph; layout: ModelDoc['layout']; datasetId?: string },
): Promise<ObjectId> {
  const now = new Date();
  const _id = new ObjectId();
  await collections(db).models.insertOne({ _id, ...fields, collaborators: [], rev: 0, createdAt: now, updatedAt: now });
  return _id;
}

export async function renameModel(db: Db, modelId: ObjectId, name: string): Promise<void> {
  const result = await collections(db).models.updateOne({ _id: modelId }, { $set: { name, updatedAt: new Date() } });
  if (result.matchedCount !== 1) throw notFound();
}

/**
 * A private copy for `ownerId`: graph, layout and dataset, no collaborators. It copies the stored
 * JSON snapshot, which trails the live document by the collab server's save debounce (about a second).
 */
export async function duplicateModel(db: Db, source: ModelDoc, ownerId: ObjectId): Promise<ObjectId> {
  const name = `Copy of ${source.name}`.slice(0, 100);
  return insertModel(db, {
    ownerId,
    name,
    ...(source.description ? { description: source.description } : {}),
    graph: source.graph,
    layout: source.layout,
    ...(source.datasetId ? { datasetId: source.datasetId } : {}),
  });
}

/**
 * Deletes the record first, so no new socket or ticket gets in, then closes the live room (which
 * writes what it still holds) and only then removes the Yjs log and snapshot. Each step touches
 * one collection; a crash in between leaves only unreachable Yjs data, never a half-model.
 */
export async function deleteModel(db: Db, modelId: ObjectId): Promise<{ disconnected: number }> {
  const result = await collections(db).models.deleteOne({ _id: modelId });
  if (result.deletedCount !== 1) throw notFound();
  const disconnected = await closeModelRoom(modelId.toHexString());
  await new YjsStore(db).remove(modelId.toHexString());
  return { disconnected };
}
