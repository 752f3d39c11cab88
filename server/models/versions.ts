import { Binary, ObjectId, type Db } from 'mongodb';
import * as Y from 'yjs';
import { CollabOrigin, docToSnapshot, restoreGraph, type ModelSnapshot } from '../../collab/doc';
import { DocumentTooLargeError } from '../../collab/server/document-size';
import { COLLAB_LIMITS } from '../../collab/server/limits';
import { YjsStore } from '../../collab/server/persistence';
import type { UserDoc } from '../db/collections';
import { changeModelDocument, modelDocumentState } from '../collab-bridge';
import { AppError } from '../errors/app-error';
import { requireModel } from './access';
import { initialModelDoc } from './collab-hooks';
import { displayName } from './members';
import { versionCollections, type ModelVersionDoc } from './versions-collection';

/** What a model's history may cost. */
export const VERSION_LIMITS = {
  nameChars: 80,
  perModel: 50,
  /** One version is one document state; a live document is capped at the same size. */
  bytesPerVersion: COLLAB_LIMITS.maxDocumentBytes,
  bytesPerModel: 64 * 1024 * 1024,
} as const;

/** Restores carry this origin: no person's undo manager tracks it, so a restore is not one person's undo step. */
export const RESTORE_ORIGIN = new CollabOrigin('version-restore');

export interface VersionView {
  id: string;
  modelId: string;
  name: string;
  authorId: string;
  authorName: string;
  createdAt: string;
  bytes: number;
  nodes: number;
  edges: number;
}

export interface VersionDetail extends VersionView {
  snapshot: ModelSnapshot;
}

type Author = Pick<UserDoc, '_id' | 'email' | 'username'>;

function view(doc: ModelVersionDoc): VersionView {
  return {
    id: doc._id.toHexString(),
    modelId: doc.modelId.toHexString(),
    name: doc.name,
    authorId: doc.authorId.toHexString(),
    authorName: doc.authorName,
    createdAt: doc.createdAt.toISOString(),
    bytes: doc.bytes,
    nodes: doc.nodes,
    edges: doc.edges,
  };
}

const versionNotFound = () => new AppError('NOT_FOUND', 'VERSION_NOT_FOUND', 'No such version of this model.', 'versionId');

/**
 * The model's document as it is now: from its live room when this process runs the collaboration
 * server, otherwise from what the room last stored (or, for a never-opened model, its record).
 */
async function currentState(db: Db, modelId: ObjectId): Promise<Uint8Array> {
  const id = modelId.toHexString();
  const live = await modelDocumentState(id);
  if (live) return live;
  const stored = await new YjsStore(db).load(id);
  const doc = new Y.Doc();
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    if (!stored.snapshot && stored.updates.length === 0) {
      const initial = await initialModelDoc(db, id);
      if (initial) Y.applyUpdate(doc, Y.encodeStateAsUpdate(initial));
    }
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

function snapshotOf(state: Uint8Array): ModelSnapshot {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return docToSnapshot(doc);
  } finally {
    doc.destroy();
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new AppError('BAD_REQUEST', 'VERSION_NAME_REQUIRED', 'Give the version a name.', 'name');
  if (trimmed.length > VERSION_LIMITS.nameChars) {
    throw new AppError('BAD_REQUEST', 'VERSION_NAME_TOO_LONG', `Version names are at most ${VERSION_LIMITS.nameChars} characters.`, 'name');
  }
  return trimmed;
}

/**
 * Saves the model's document as it is now under a name (owner or editor). The state is written
 * before the listing row, so every listed version has its state; a crash between the two leaves
 * only an unlisted state. Two saves racing at the limit may both pass the count: the budget is a
 * guard against runaway storage, not an exact quota.
 */
export async function saveVersion(db: Db, modelId: string, author: Author, name: string, now = new Date()): Promise<VersionView> {
  const cleanName = checkName(name);
  const { model } = await requireModel(db, modelId, author._id, 'editor');
  const c = versionCollections(db);
  const existing = await c.versions.find({ modelId: model._id }, { projection: { bytes: 1 } }).toArray();
  if (existing.length >= VERSION_LIMITS.perModel) {
    throw new AppError('BAD_REQUEST', 'TOO_MANY_VERSIONS', `A model keeps at most ${VERSION_LIMITS.perModel} named versions; delete an old one first.`);
  }
  const state = await currentState(db, model._id);
  if (state.byteLength > VERSION_LIMITS.bytesPerVersion) {
    throw new AppError('BAD_REQUEST', 'VERSION_TOO_LARGE', `This model's document is ${state.byteLength} bytes; a version holds at most ${VERSION_LIMITS.bytesPerVersion}.`);
  }
  const used = existing.reduce((sum, v) => sum + v.bytes, 0);
  if (used + state.byteLength > VERSION_LIMITS.bytesPerModel) {
    throw new AppError('BAD_REQUEST', 'VERSIONS_FULL', `This model's versions already use ${used} of ${VERSION_LIMITS.bytesPerModel} bytes; delete an old one first.`);
  }
  const snapshot = snapshotOf(state);
  const _id = new ObjectId();
  await c.states.insertOne({ _id, modelId: model._id, state: new Binary(state) });
  const doc: ModelVersionDoc = {
    _id,
    modelId: model._id,
    name: cleanName,
    authorId: author._id,
    authorName: displayName(author),
    createdAt: now,
    bytes: state.byteLength,
    nodes: snapshot.graph.nodes.length,
    edges: snapshot.graph.edges.length,
  };
  await c.versions.insertOne(doc);
  return view(doc);
}

/** The model's named versions, newest first; anyone who can see the model sees its history. */
export async function listVersions(db: Db, modelId: string, userId: ObjectId): Promise<VersionView[]> {
  const { model } = await requireModel(db, modelId, userId, 'viewer');
  const docs = await versionCollections(db).versions.find({ modelId: model._id }).sort({ _id: -1 }).limit(VERSION_LIMITS.perModel).toArray();
  return docs.map(view);
}

async function findVersion(db: Db, modelId: ObjectId, versionId: string): Promise<{ doc: ModelVersionDoc; state: Uint8Array }> {
  if (!ObjectId.isValid(versionId)) throw versionNotFound();
  const _id = new ObjectId(versionId);
  const c = versionCollections(db);
  const [doc, stored] = await Promise.all([c.versions.findOne({ _id, modelId: modelId }), c.states.findOne({ _id, modelId: modelId })]);
  if (!doc || !stored) throw versionNotFound();
  return { doc, state: new Uint8Array(stored.state.buffer) };
}

/** One version with the graph it holds, to view read-only. */
export async function getVersion(db: Db, modelId: string, versionId: string, userId: ObjectId): Promise<VersionDetail> {
  const { model } = await requireModel(db, modelId, userId, 'viewer');
  const { doc, state } = await findVersion(db, model._id, versionId);
  return { ...view(doc), snapshot: snapshotOf(state) };
}

/**
 * Makes the live model hold the version's graph again (owner or editor), as a new change that
 * everyone in the room receives; history goes on from there, nothing is reset.
 */
export async function restoreVersion(db: Db, modelId: string, versionId: string, userId: ObjectId): Promise<{ changed: boolean; version: VersionView }> {
  const { model } = await requireModel(db, modelId, userId, 'editor');
  const { doc, state } = await findVersion(db, model._id, versionId);
  const { graph, layout } = snapshotOf(state);
  let changed: boolean | null;
  try {
    changed = await changeModelDocument(model._id.toHexString(), (live) => restoreGraph(live, graph, layout, RESTORE_ORIGIN), RESTORE_ORIGIN);
  } catch (error) {
    if (error instanceof DocumentTooLargeError) throw new AppError('BAD_REQUEST', 'DOCUMENT_TOO_LARGE', error.message);
    throw error;
  }
  if (changed === null) throw new AppError('SERVICE_UNAVAILABLE', 'COLLAB_UNAVAILABLE', 'Live editing is not running on this server, so the version cannot be restored now. Try again shortly.');
  return { changed, version: view(doc) };
}

/** The model's owner, or the person who saved it, may delete a version. */
export async function deleteVersion(db: Db, modelId: string, versionId: string, userId: ObjectId): Promise<{ deleted: true }> {
  const { model, role } = await requireModel(db, modelId, userId, 'editor');
  const { doc } = await findVersion(db, model._id, versionId);
  if (role !== 'owner' && !doc.authorId.equals(userId)) {
    throw new AppError('FORBIDDEN', 'NOT_VERSION_AUTHOR', 'Only the model’s owner or the person who saved a version can delete it.');
  }
  const c = versionCollections(db);
  // The listing row goes first: a crash in between leaves an unlisted state, never a listed version without one.
  await c.versions.deleteOne({ _id: doc._id });
  await c.states.deleteOne({ _id: doc._id });
  return { deleted: true };
}

/** Every version of a model (the model is being deleted). */
export async function removeModelVersions(db: Db, modelId: ObjectId): Promise<void> {
  const c = versionCollections(db);
  await c.versions.deleteMany({ modelId });
  await c.states.deleteMany({ modelId });
}
