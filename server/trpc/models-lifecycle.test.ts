import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode } from '../../collab/doc';
import { connectClient, startCollabForTest, ticketFor, waitFor } from '../../collab/server/testing';
import { checkDatasetFit, validateGraph } from '../../compute/validate';
import { signUp, type PublicUser } from '../auth/users';
import { registerCollabServer } from '../collab-bridge';
import { builtinSummary, findBuiltin } from '../datasets/builtins';
import { MODEL_TEMPLATES } from '../models/templates';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { createCaller } from './root';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;
let stranger: PublicUser;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('model_lifecycle'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  stranger = await signUp(db, { email: 'sam@example.com', username: 'sam', password: 'sam-password-1' });
});

async function waitForCount(count: () => Promise<number>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while ((await count()) === 0) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for a stored update');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A model of Alice's shared with Bob (editor) and Carol (viewer). */
async function sharedModel(name = 'Shared model') {
  const owner = await as(alice);
  const { id } = await owner.models.create({ name, template: 'mlp' });
  await owner.models.share({ id, who: 'bob', role: 'editor' });
  await owner.models.share({ id, who: 'carol', role: 'viewer' });
  return id;
}

describe('model templates', () => {
  it.each(MODEL_TEMPLATES.map((t) => [t.id, t] as const))('%s passes validation and takes the digits data', (_id, template) => {
    const graph = template.build();
    const result = validateGraph(graph);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const input = graph.nodes.find((n) => n.type === 'Input')!;
    const elements = (input.params!.shape as number[]).reduce((a, b) => a * b, 1);
    expect(elements).toBe(64);
  });

  it.each(MODEL_TEMPLATES.map((t) => [t.id, t] as const))('%s ships with a built-in dataset whose features and classes it fits', (_id, template) => {
    const builtin = findBuiltin(template.datasetId);
    expect(builtin).toBeDefined();
    const summary = builtinSummary(builtin!);
    const graph = template.build();
    expect(checkDatasetFit(graph, validateGraph(graph), summary)).toEqual([]);
  });

  it('creates a model from a template with its graph, a position for every node and the owner’s membership row', async () => {
    const caller = await as(alice);
    expect((await caller.models.templates()).map((t) => t.id)).toEqual(['mlp', 'cnn', 'residual']);
    for (const template of MODEL_TEMPLATES) {
      const { id } = await caller.models.create({ name: `From ${template.id}`, template: template.id });
      const record = await db.collection('models').findOne({ _id: new ObjectId(id) });
      expect(record!.graph).toEqual(template.build());
      expect(record!.datasetId).toBe(template.datasetId);
      expect((await caller.models.get({ id })).datasetId).toBe(template.datasetId);
      expect(Object.keys(record!.layout).sort()).toEqual(template.build().nodes.map((n) => n.id).sort());
      // The owner's membership row is what their models list reads.
      const rows = await db.collection('modelMembers').find({ modelId: new ObjectId(id) }).toArray();
      expect(rows.map((r) => [r._id, r.role, r.name, r.ownerName])).toEqual([[`${id}:${alice.id}`, 'owner', `From ${template.id}`, 'alice']]);
    }
    // A blank model has no layers to fit a dataset to, so it gets none.
    const blank = await caller.models.create({ name: 'Blank' });
    expect((await caller.models.get({ id: blank.id })).datasetId).toBeNull();
  });

  it('refuses an unknown template with a field error', async () => {
    await expect((await as(alice)).models.create({ name: 'x', template: 'transformer' as 'mlp' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('renaming a model', () => {
  it('lets the owner and editors rename, not viewers or strangers', async () => {
    const id = await sharedModel();
    await (await as(alice)).models.rename({ id, name: 'Digits MLP' });
    expect((await (await as(carol)).models.get({ id })).name).toBe('Digits MLP');
    await (await as(bob)).models.rename({ id, name: '  Digits MLP v2 ' });
    expect((await (await as(alice)).models.list()).items.find((m) => m.id === id)?.name).toBe('Digits MLP v2');
    expect((await (await as(carol)).models.list()).items.find((m) => m.id === id)?.name).toBe('Digits MLP v2');
    await expect((await as(carol)).models.rename({ id, name: 'Mine now' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect((await as(stranger)).models.rename({ id, name: 'Mine now' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as(alice)).models.rename({ id, name: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Give the model a name.') });
    expect((await (await as(alice)).models.get({ id })).name).toBe('Digits MLP v2');
  });
});

describe('duplicating a model', () => {
  it('gives anyone with access a private copy of the graph, layout and dataset', async () => {
    const id = await sharedModel('Original');
    await db.collection('models').updateOne({ _id: new ObjectId(id) }, { $set: { datasetId: 'builtin:spirals' } });
    const original = await db.collection('models').findOne({ _id: new ObjectId(id) });
    const { id: copyId } = await (await as(carol)).models.duplicate({ id });
    const copy = await db.collection('models').findOne({ _id: new ObjectId(copyId) });
    expect(copy).toMatchObject({ name: 'Copy of Original', graph: original!.graph, layout: original!.layout, datasetId: 'builtin:spirals' });
    expect(await db.collection('modelMembers').countDocuments({ modelId: new ObjectId(copyId) })).toBe(1);
    expect(copy!.ownerId.equals(new ObjectId(carol.id))).toBe(true);
    const carolsList = await (await as(carol)).models.list();
    expect(carolsList.items.find((m) => m.id === copyId)).toMatchObject({ mine: true, role: 'owner' });
    // The copy is Carol's alone: Alice does not see it.
    expect((await (await as(alice)).models.list()).items.some((m) => m.id === copyId)).toBe(false);
    await expect((await as(stranger)).models.duplicate({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('deleting a model', () => {
  it('is for the owner only', async () => {
    const id = await sharedModel();
    await expect((await as(bob)).models.delete({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect((await as(carol)).models.delete({ id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect((await as(stranger)).models.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await (await as(alice)).models.get({ id })).name).toBe('Shared model');
  });

  describe('with a live room', () => {
    let collab: Awaited<ReturnType<typeof startCollabForTest>>;
    beforeAll(async () => {
      collab = await startCollabForTest(db, { writeBatchMs: 5 });
      registerCollabServer(collab.collab);
    });
    afterAll(async () => {
      registerCollabServer(undefined);
      await collab.close();
    });

    it('removes the record and its Yjs data and closes everyone’s sockets', async () => {
      const id = await sharedModel('Doomed');
      const owner = connectClient(collab.url, id, ticketFor(id, new ObjectId(alice.id), 'owner', 'alice'));
      const editor = connectClient(collab.url, id, ticketFor(id, new ObjectId(bob.id), 'editor', 'bob'));
      try {
        await waitFor(() => owner.provider.synced && editor.provider.synced, 5000, 'both synced');
        addNode(owner.doc, { id: 'extra-dense', type: 'Dense', position: { x: 0, y: 0 } });
        // The edit reaches the server and its update log before the delete.
        await waitForCount(() => db.collection('yjsUpdates').countDocuments({ modelId: id }));
        const closes: number[] = [];
        for (const c of [owner, editor]) c.provider.ws?.addEventListener('close', (event) => closes.push((event as CloseEvent).code));
        const result = await (await as(alice)).models.delete({ id });
        expect(result).toEqual({ deleted: true, disconnected: 2 });
        await waitFor(() => closes.length === 2, 5000, 'sockets closed');
        expect(closes).toEqual([4403, 4403]);
        expect(collab.collab.stats().rooms).toBe(0);

        expect(await db.collection('models').countDocuments({ _id: new ObjectId(id) })).toBe(0);
        expect(await db.collection('modelMembers').countDocuments({ modelId: new ObjectId(id) })).toBe(0);
        expect(await db.collection('yjsUpdates').countDocuments({ modelId: id })).toBe(0);
        expect(await db.collection('yjsSnapshots').countDocuments({ _id: id as unknown as ObjectId })).toBe(0);
        await expect((await as(bob)).models.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect((await as(bob)).collab.ticket({ modelId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        // Nothing written late brings the document back.
        await new Promise((r) => setTimeout(r, 300));
        expect(await db.collection('yjsUpdates').countDocuments({ modelId: id })).toBe(0);
        expect(await db.collection('yjsSnapshots').countDocuments({ _id: id as unknown as ObjectId })).toBe(0);
      } finally {
        owner.provider.destroy();
        editor.provider.destroy();
      }
    });
  });

  it('removes stored Yjs data even when no room is open', async () => {
    const id = await sharedModel('Closed');
    await db.collection('yjsUpdates').insertOne({ _id: `${id}:1` as unknown as ObjectId, modelId: id, seq: 1, update: Buffer.from([0]), at: new Date() });
    await db.collection('yjsSnapshots').insertOne({ _id: id as unknown as ObjectId, state: Buffer.from([0]), seqThrough: 0, updatedAt: new Date() });
    await (await as(alice)).models.delete({ id });
    expect(await db.collection('yjsUpdates').countDocuments({ modelId: id })).toBe(0);
    expect(await db.collection('yjsSnapshots').countDocuments({ _id: id as unknown as ObjectId })).toBe(0);
    await expect((await as(alice)).models.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
