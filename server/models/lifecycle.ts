import { ObjectId, type Db } from 'mongodb';
import { YjsStore } from '../../collab/server/persistence';
import { closeModelRoom } from '../collab-bridge';
import { bumpCounter, bumpUserCounters } from '../db/counters';
import { collections, type ModelDoc } from '../db/collections';
import { findBuiltin } from '../datasets/builtins';
import { AppError } from '../errors/app-error';
import type { Graph } from '../../compute/graph';
import { displayName, putMemberRow, removeAllMembers, syncListing, type Person } from './members';
import { removeModelVersions } from './versions';

const notFound = () => new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');

/**
 * The record, then the owner's membership row (what their list reads), then the counters. A crash
 * in between leaves a model its owner's list misses until the start-up repair adds the row.
 */
export async function insertModel(
  db: Db,
  fields: { owner: Person; name: string; description?: string; graph: Graph; layout: ModelDoc['layout']; datasetId?: string },
): Promise<ObjectId> {
  const { owner, ...rest } = fields;
  const now = new Date();
  const model: ModelDoc = { _id: new ObjectId(), ownerId: owner._id, ...rest, createdAt: now, updatedAt: now, memberCount: 0, listingRev: 0 };
  await collections(db).models.insertOne(model);
  await putMemberRow(db, model, displayName(owner), owner, 'owner');
  await Promise.all([bumpCounter(db, 'models', 1), bumpUserCounters(db, owner._id, { models: 1 })]);
  return model._id;
}

/** The new name and its listing version in one update, then onto every member's row. */
export async function renameModel(db: Db, modelId: ObjectId, name: string): Promise<void> {
  const result = await collections(db).models.updateOne({ _id: modelId }, { $set: { name, updatedAt: new Date() }, $inc: { listingRev: 1 } });
  if (result.matchedCount !== 1) throw notFound();
  await syncListing(db, modelId);
}

/** A built-in dataset, or one `ownerId` owns: what a copy made by them may keep training on. */
async function datasetFor(db: Db, datasetId: string | undefined, ownerId: ObjectId): Promise<string | undefined> {
  if (!datasetId) return undefined;
  if (findBuiltin(datasetId)) return datasetId;
  if (!ObjectId.isValid(datasetId)) return undefined;
  const own = await collections(db).datasets.findOne({ _id: new ObjectId(datasetId), ownerId }, { projection: { _id: 1 } });
  return own ? datasetId : undefined;
}

/**
 * A private copy for `owner`: graph and layout, no collaborators, and the dataset only when it is
 * built in or theirs (someone else's data stays readable only through its owner's models). It copies
 * the stored JSON snapshot, which trails the live document by the collab server's save debounce.
 */
export async function duplicateModel(db: Db, source: ModelDoc, owner: Person): Promise<ObjectId> {
  const name = `Copy of ${source.name}`.slice(0, 100);
  const datasetId = await datasetFor(db, source.datasetId, owner._id);
  return insertModel(db, {
    owner,
    name,
    ...(source.description ? { description: source.description } : {}),
    graph: source.graph,
    layout: source.layout,
    ...(datasetId ? { datasetId } : {}),
  });
}

/**
 * Deletes the record first, so no new socket, ticket or share gets in (a share already past its
 * check finds the record gone when it re-reads it and removes its own row), then closes the live room
 * (which writes what it still holds), then the membership rows (the model leaves everyone's list)
 * and only then the Yjs log and snapshot, and its named versions. Each step touches one collection; a crash in between
 * leaves rows that grant nothing (the start-up repair removes them) and unreachable Yjs data.
 */
export async function deleteModel(db: Db, modelId: ObjectId): Promise<{ disconnected: number }> {
  const result = await collections(db).models.deleteOne({ _id: modelId });
  if (result.deletedCount !== 1) throw notFound();
  await bumpCounter(db, 'models', -1);
  const disconnected = await closeModelRoom(modelId.toHexString());
  await removeAllMembers(db, modelId);
  await new YjsStore(db).remove(modelId.toHexString());
  await removeModelVersions(db, modelId);
  return { disconnected };
}
