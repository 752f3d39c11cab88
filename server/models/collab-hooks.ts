import { ObjectId, type Db } from 'mongodb';
import type * as Y from 'yjs';
import { createDocFromGraph, docToSnapshot } from '../../collab/doc';
import { collections } from '../db/collections';
import { syncListing } from './members';

/** A never-opened model's document, built from the JSON graph stored with it. */
export async function initialModelDoc(db: Db, modelId: string): Promise<Y.Doc | null> {
  if (!ObjectId.isValid(modelId)) return null;
  const model = await collections(db).models.findOne({ _id: new ObjectId(modelId) });
  if (!model) return null;
  return createDocFromGraph(model.graph, { layout: model.layout, meta: { name: model.name, description: model.description ?? '' } });
}

/**
 * Keeps the model record's derived graph and layout in step with its live document; the new
 * updatedAt reaches every member's list (their rows sort by it), versioned by listingRev in the same
 * update. It sets only those fields, so a rename landing at the same moment keeps its name.
 */
export async function saveModelSnapshot(db: Db, modelId: string, doc: Y.Doc): Promise<void> {
  if (!ObjectId.isValid(modelId)) return;
  const snapshot = docToSnapshot(doc);
  const _id = new ObjectId(modelId);
  const result = await collections(db).models.updateOne({ _id }, { $set: { graph: snapshot.graph, layout: snapshot.layout, updatedAt: new Date() }, $inc: { listingRev: 1 } });
  if (result.matchedCount === 1) await syncListing(db, _id);
}
