import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { addNode, createLocalOrigin, docToGraph, listNodes, readNode, setLabel } from '../../collab/doc';
import { createUndoController } from '../../collab/client/undo';
import { connectClient, startCollabForTest, ticketFor, waitFor } from '../../collab/server/testing';
import { signUp, type PublicUser } from '../auth/users';
import { registerCollabServer } from '../collab-bridge';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { VERSION_LIMITS } from './versions';
import { versionCollections } from './versions-collection';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;
let stranger: PublicUser;
let collab: Awaited<ReturnType<typeof startCollabForTest>>;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('model_versions'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  stranger = await signUp(db, { email: 'sam@example.com', username: 'sam', password: 'sam-password-1' });
  collab = await startCollabForTest(db, { writeBatchMs: 5 });
  registerCollabServer(collab.collab);
});

afterAll(async () => {
  registerCollabServer(undefined);
  await collab.close();
});

/** An MLP of Alice's shared with Bob (editor) and Carol (viewer). */
async function sharedModel(name = 'Versioned') {
  const owner = await as(alice);
  const { id } = await owner.models.create({ name, template: 'mlp' });
  await owner.models.share({ id, who: 'bob', role: 'editor' });
  await owner.models.share({ id, who: 'carol', role: 'viewer' });
  return id;
}

function join(modelId: string, user: PublicUser, role: 'owner' | 'editor' | 'viewer') {
  return connectClient(collab.url, modelId, ticketFor(modelId, new ObjectId(user.id), role, user.username ?? 'x'));
}

const nodeIds = (doc: Y.Doc) => listNodes(doc).map((n) => n.id).sort();

describe('who may do what', () => {
  it('lets owners and editors save and restore, viewers only list and view, and strangers nothing', async () => {
    const id = await sharedModel();
    const saved = await (await as(bob)).versions.save({ modelId: id, name: '  First draft  ' });
    expect(saved).toMatchObject({ name: 'First draft', authorName: 'bob', authorId: bob.id, modelId: id });
    expect(saved.nodes).toBeGreaterThan(2);
    expect(saved.bytes).toBeGreaterThan(0);

    const viewer = await as(carol);
    expect((await viewer.versions.list({ modelId: id })).map((v) => v.name)).toEqual(['First draft']);
    const detail = await viewer.versions.get({ modelId: id, versionId: saved.id });
    expect(detail.snapshot.graph.nodes).toHaveLength(saved.nodes);
    await expect(viewer.versions.save({ modelId: id, name: 'Mine' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.versions.restore({ modelId: id, versionId: saved.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(viewer.versions.delete({ modelId: id, versionId: saved.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const outsider = await as(stranger);
    await expect(outsider.versions.list({ modelId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.versions.get({ modelId: id, versionId: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.versions.save({ modelId: id, name: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(outsider.versions.restore({ modelId: id, versionId: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await (await as(alice)).versions.list({ modelId: id })).toHaveLength(1);
  });

  it('keeps a version to its own model', async () => {
    const a = await sharedModel('A');
    const b = await sharedModel('B');
    const saved = await (await as(alice)).versions.save({ modelId: a, name: 'of A' });
    await expect((await as(alice)).versions.get({ modelId: b, versionId: saved.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such version of this model.' });
    await expect((await as(alice)).versions.restore({ modelId: b, versionId: 'not-an-id' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets the owner or the author delete a version, not another editor', async () => {
    const id = await sharedModel();
    const byAlice = await (await as(alice)).versions.save({ modelId: id, name: 'by alice' });
    const byBob = await (await as(bob)).versions.save({ modelId: id, name: 'by bob' });
    await expect((await as(bob)).versions.delete({ modelId: id, versionId: byAlice.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await (await as(bob)).versions.delete({ modelId: id, versionId: byBob.id });
    await (await as(alice)).versions.delete({ modelId: id, versionId: byAlice.id });
    expect(await (await as(alice)).versions.list({ modelId: id })).toEqual([]);
    expect(await versionCollections(db).states.countDocuments({ modelId: new ObjectId(id) })).toBe(0);
  });

  it('goes with its model when the model is deleted', async () => {
    const id = await sharedModel();
    await (await as(alice)).versions.save({ modelId: id, name: 'doomed' });
    await (await as(alice)).models.delete({ id });
    const modelId = new ObjectId(id);
    expect(await versionCollections(db).versions.countDocuments({ modelId })).toBe(0);
    expect(await versionCollections(db).states.countDocuments({ modelId })).toBe(0);
  });
});

describe('limits', () => {
  it('refuses empty and over-long names, naming the field', async () => {
    const id = await sharedModel();
    const owner = await as(alice);
    await expect(owner.versions.save({ modelId: id, name: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Give the version a name.' });
    await expect(owner.versions.save({ modelId: id, name: 'n'.repeat(VERSION_LIMITS.nameChars + 1) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `Version names are at most ${VERSION_LIMITS.nameChars} characters.`,
    });
    expect(await owner.versions.list({ modelId: id })).toEqual([]);
  });

  it('keeps at most so many versions and so many bytes per model', async () => {
    const id = await sharedModel();
    const modelId = new ObjectId(id);
    const owner = await as(alice);
    const row = (bytes: number) => ({ _id: new ObjectId(), modelId, name: 'filler', authorId: new ObjectId(alice.id), authorName: 'alice', createdAt: new Date(), bytes, nodes: 0, edges: 0 });

    // Nearly full by bytes: the next save would pass the budget.
    await versionCollections(db).versions.insertOne(row(VERSION_LIMITS.bytesPerModel - 10));
    await expect(owner.versions.save({ modelId: id, name: 'one more' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('delete an old one first') });

    await versionCollections(db).versions.deleteMany({ modelId });
    await versionCollections(db).versions.insertMany(Array.from({ length: VERSION_LIMITS.perModel }, () => row(10)));
    await expect(owner.versions.save({ modelId: id, name: 'one more' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `A model keeps at most ${VERSION_LIMITS.perModel} named versions; delete an old one first.`,
    });
    expect(await versionCollections(db).states.countDocuments({ modelId })).toBe(0);
  });
});

describe('restoring', () => {
  it('brings the saved graph back as a new change everyone in the room sees, without touching anyone’s undo history', async () => {
    const id = await sharedModel();
    const owner = join(id, alice, 'owner');
    const editor = join(id, bob, 'editor');
    const viewer = join(id, carol, 'viewer');
    try {
      await waitFor(() => owner.provider.synced && editor.provider.synced && viewer.provider.synced, 5000, 'all synced');
      const original = nodeIds(owner.doc);
      const version = await (await as(alice)).versions.save({ modelId: id, name: 'before edits' });

      // Edits after the version: Bob adds a layer and renames one; Alice's own edit is on her undo stack.
      const mine = createLocalOrigin('alice');
      const undo = createUndoController(owner.doc, mine);
      addNode(editor.doc, { id: 'extra-dense', type: 'Dense', position: { x: 500, y: 0 }, params: { units: 7 } });
      setLabel(owner.doc, original[0]!, 'Renamed', mine);
      await waitFor(() => nodeIds(viewer.doc).includes('extra-dense') && readNode(viewer.doc, original[0]!)?.label === 'Renamed', 5000, 'edits reach the viewer');
      expect(undo.canUndo()).toBe(true);

      const result = await (await as(bob)).versions.restore({ modelId: id, versionId: version.id });
      expect(result).toMatchObject({ changed: true, version: { id: version.id, name: 'before edits' } });
      for (const client of [owner, editor, viewer]) {
        await waitFor(() => !nodeIds(client.doc).includes('extra-dense') && readNode(client.doc, original[0]!)?.label === null, 5000, 'the restore reaches everyone');
        expect(nodeIds(client.doc)).toEqual(original);
      }
      // The model record's derived graph was refreshed before restore answered.
      const record = await (await as(alice)).models.get({ id });
      expect(record.graph.nodes.map((n) => n.id).sort()).toEqual(original);
      expect(docToGraph(owner.doc)).toEqual((await (await as(carol)).versions.get({ modelId: id, versionId: version.id })).snapshot.graph);
      // Alice's undo still holds her own step; the restore is nobody's undo step.
      expect(undo.canUndo()).toBe(true);
      undo.destroy();

      // Restoring what the model already holds changes nothing.
      expect((await (await as(alice)).versions.restore({ modelId: id, versionId: version.id })).changed).toBe(false);
    } finally {
      for (const c of [owner, editor, viewer]) c.provider.destroy();
    }
  });

  it('works with nobody connected, and the next person to open it sees the restored graph', async () => {
    const id = await sharedModel();
    const first = join(id, alice, 'owner');
    let original: string[];
    let versionId: string;
    try {
      await waitFor(() => first.provider.synced, 5000, 'synced');
      original = nodeIds(first.doc);
      versionId = (await (await as(alice)).versions.save({ modelId: id, name: 'v1' })).id;
      addNode(first.doc, { id: 'later-layer', type: 'Dense', position: { x: 0, y: 400 }, params: { units: 3 } });
      await waitFor(() => nodeIds(first.doc).includes('later-layer'), 5000, 'added');
      const saved = await (await as(alice)).versions.save({ modelId: id, name: 'v2' });
      expect(saved.nodes).toBe(original.length + 1);
    } finally {
      first.provider.destroy();
    }
    await (await as(bob)).versions.restore({ modelId: id, versionId });
    const later = join(id, bob, 'editor');
    try {
      await waitFor(() => later.provider.synced, 5000, 'synced again');
      expect(nodeIds(later.doc)).toEqual(original);
    } finally {
      later.provider.destroy();
    }
  });

  it('is refused clearly where no collaboration server runs, while saving still reads the stored document', async () => {
    const id = await sharedModel();
    registerCollabServer(undefined);
    try {
      const saved = await (await as(alice)).versions.save({ modelId: id, name: 'offline' });
      expect(saved.nodes).toBeGreaterThan(2);
      await expect((await as(alice)).versions.restore({ modelId: id, versionId: saved.id })).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      registerCollabServer(collab.collab);
    }
  });
});
