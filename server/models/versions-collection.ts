import type { Binary, Db, ObjectId } from 'mongodb';

/** One named version in a model's history: what lists read. The Yjs state lives apart (below). */
export interface ModelVersionDoc {
  _id: ObjectId;
  modelId: ObjectId;
  name: string;
  authorId: ObjectId;
  authorName: string;
  createdAt: Date;
  /** Size of the stored Yjs state, counted against the model's version budget. */
  bytes: number;
  /** Layers and connections in the version, so the list can say what it holds without decoding it. */
  nodes: number;
  edges: number;
}

/**
 * The version's document (Y.encodeStateAsUpdate), keyed by the version's _id. Large payloads stay
 * out of the documents lists read; a model's document is capped well under MongoDB's 16 MB, so one
 * document holds it and GridFS is not needed.
 */
export interface ModelVersionStateDoc {
  _id: ObjectId;
  modelId: ObjectId;
  state: Binary;
}

export function versionCollections(db: Db) {
  return {
    versions: db.collection<ModelVersionDoc>('modelVersions'),
    states: db.collection<ModelVersionStateDoc>('modelVersionStates'),
  };
}

/** The versions indexes; server/db/indexes.ts creates them at start-up with the rest. */
export async function ensureVersionIndexes(db: Db): Promise<void> {
  const c = versionCollections(db);
  await Promise.all([
    // A model's history, newest first: equality on modelId, sorted by _id.
    c.versions.createIndex({ modelId: 1, _id: -1 }, { name: 'model_newest' }),
    c.states.createIndex({ modelId: 1 }, { name: 'model' }),
  ]);
}
