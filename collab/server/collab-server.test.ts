import { ObjectId, type Db } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdge, addNode, docToGraph, listNodes, moveNode } from '../doc';
import { removeCollaborator } from '../../server/models/collaborators';
import { useTestDatabase } from '../../server/testing/test-db';
import { YjsStore } from './persistence';
import { connectClient, insertModel, rawUpgrade, startCollabForTest, ticketFor, TEST_SECRET, waitFor } from './testing';
import { signTicket } from './ticket';

let db: Db;
const owner = new ObjectId();
const editor = new ObjectId();
const viewer = new ObjectId();
const stranger = new ObjectId();
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ({ db } = await useTestDatabase('collab'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(overrides = {}) {
  const s = await startCollabForTest(db, overrides);
  cleanups.push(() => s.close());
  return s;
}

function client(url: string, modelId: string, ticket: string, doc?: Y.Doc) {
  const c = connectClient(url, modelId, ticket, doc);
  cleanups.push(() => c.provider.destroy());
  return c;
}

describe('collab server: who gets in', () => {
  it('refuses a connection without a ticket, with a forged or expired one, or for another room', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner);
    const otherModel = await insertModel(db, owner);

    const none = await rawUpgrade(`${s.url}/${modelId}`);
    expect(none).toMatchObject({ opened: false, status: 401 });
    expect(JSON.parse(none.body!).code).toBe('TICKET_MISSING');

    const forged = signTicket({ modelId, userId: owner.toHexString(), name: 'x', role: 'owner', exp: Date.now() + 60_000 }, 'wrong-secret');
    const forgedResult = await rawUpgrade(`${s.url}/${modelId}?ticket=${forged}`);
    expect(forgedResult.status).toBe(401);
    expect(JSON.parse(forgedResult.body!).code).toBe('TICKET_FORGED');

    const expired = ticketFor(modelId, owner, 'owner', 'x', Date.now() - 1);
    const expiredResult = await rawUpgrade(`${s.url}/${modelId}?ticket=${expired}`);
    expect(expiredResult.status).toBe(401);
    expect(JSON.parse(expiredResult.body!).code).toBe('TICKET_EXPIRED');

    const wrongRoom = await rawUpgrade(`${s.url}/${otherModel}?ticket=${ticketFor(modelId, owner, 'owner')}`);
    expect(JSON.parse(wrongRoom.body!).code).toBe('TICKET_WRONG_ROOM');

    const ok = await rawUpgrade(`${s.url}/${modelId}?ticket=${ticketFor(modelId, owner, 'owner')}`);
    expect(ok.opened).toBe(true);
  });

  it('refuses a validly signed ticket for a model the user cannot see', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner);
    // Signed with the right secret (e.g. issued before access was revoked), but the access list says no.
    const result = await rawUpgrade(`${s.url}/${modelId}?ticket=${ticketFor(modelId, stranger, 'editor')}`);
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body!).code).toBe('NO_ACCESS');
    expect(TEST_SECRET).toBeTruthy();
  });
});

describe('collab server: editing together', () => {
  it('relays an editor’s changes to the others and drops a viewer’s', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner, [
      { userId: editor, role: 'editor' },
      { userId: viewer, role: 'viewer' },
    ]);
    const a = client(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    const b = client(s.url, modelId, ticketFor(modelId, editor, 'editor'));
    const v = client(s.url, modelId, ticketFor(modelId, viewer, 'viewer'));
    await waitFor(() => a.provider.synced && b.provider.synced && v.provider.synced, 5000, 'sync');

    addNode(a.doc, { id: 'n1', type: 'Dense', position: { x: 1, y: 2 }, params: { units: 8 } });
    await waitFor(() => listNodes(b.doc).length === 1 && listNodes(v.doc).length === 1, 5000, 'node at b and viewer');
    moveNode(b.doc, 'n1', { x: 50, y: 60 });
    await waitFor(() => listNodes(a.doc)[0]?.position.x === 50, 5000, 'move at a');

    // The viewer edits its local copy; nobody else may see it.
    addNode(v.doc, { id: 'evil', type: 'ReLU', position: { x: 0, y: 0 } });
    addNode(a.doc, { id: 'n2', type: 'ReLU', position: { x: 0, y: 100 } });
    await waitFor(() => listNodes(b.doc).length === 2, 5000, 'second node at b');
    await new Promise((r) => setTimeout(r, 200));
    expect(listNodes(a.doc).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(listNodes(b.doc).map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  it('sets presence identity on the server: a client cannot impersonate another user', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner, [{ userId: editor, role: 'editor' }]);
    const a = client(s.url, modelId, ticketFor(modelId, owner, 'owner', 'alice'));
    const b = client(s.url, modelId, ticketFor(modelId, editor, 'editor', 'bob'));
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'sync');
    b.provider.awareness.setLocalState({ user: { id: owner.toHexString(), name: 'alice', color: '#000' }, cursor: { x: 5, y: 6 }, selection: ['n1'] });
    await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 5000, 'b presence at a');
    const seen = a.provider.awareness.getStates().get(b.doc.clientID) as { user: { id: string; name: string }; cursor: unknown; selection: string[] };
    expect(seen.user).toMatchObject({ id: editor.toHexString(), name: 'bob', role: 'editor' });
    expect(seen.cursor).toEqual({ x: 5, y: 6 });
    expect(seen.selection).toEqual(['n1']);
  });

  it('disconnects a user whose access is revoked', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner, [{ userId: editor, role: 'editor' }]);
    const b = client(s.url, modelId, ticketFor(modelId, editor, 'editor'));
    await waitFor(() => b.provider.synced, 5000, 'sync');
    const closes: number[] = [];
    b.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    await removeCollaborator(db, new ObjectId(modelId), editor);
    expect(await s.collab.disconnectUser(modelId, editor.toHexString())).toBe(1);
    await waitFor(() => closes.includes(4403), 5000, 'close 4403');
    // Reconnecting with the old ticket is refused now: the access list is checked on every connect.
    const again = await rawUpgrade(`${s.url}/${modelId}?ticket=${ticketFor(modelId, editor, 'editor')}`);
    expect(again.status).toBe(403);
  });
});

describe('collab server: persistence', () => {
  it('loses nothing across a server restart, and keeps the model record’s JSON graph current', async () => {
    const modelId = await insertModel(db, owner);
    const first = await startCollabForTest(db, { compactEvery: 3 });
    const a = connectClient(first.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => a.provider.synced, 5000, 'sync');
    for (let i = 0; i < 5; i++) addNode(a.doc, { id: `n${i}`, type: 'ReLU', position: { x: i, y: 0 } });
    addEdge(a.doc, { id: 'e1', source: 'n0', target: 'n1', sourceHandle: 'out', targetHandle: 'in' });
    await new Promise((r) => setTimeout(r, 300));
    a.provider.destroy();
    await first.close();

    const second = await server();
    const b = client(second.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => b.provider.synced && listNodes(b.doc).length === 5, 5000, 'restored doc');
    expect(docToGraph(b.doc).edges.map((e) => e.id)).toEqual(['e1']);

    const record = await db.collection('models').findOne({ _id: new ObjectId(modelId) });
    expect((record?.graph as { nodes: unknown[] }).nodes).toHaveLength(5);
    expect(Object.keys(record?.layout ?? {})).toHaveLength(5);
  });

  it('starts a never-opened model from its stored JSON graph, once', async () => {
    const id = await insertModel(db, owner, [{ userId: editor, role: 'editor' }]);
    await db.collection('models').updateOne(
      { _id: new ObjectId(id) },
      {
        $set: {
          name: 'Seeded',
          graph: { nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, { id: 'd', type: 'Dense', params: { units: 2 } }], edges: [{ id: 'e', source: 'in', sourceHandle: 'out', target: 'd', targetHandle: 'in' }] },
          layout: { in: { x: 0, y: 0 }, d: { x: 0, y: 120 } },
        },
      },
    );
    const s = await server();
    const a = client(s.url, id, ticketFor(id, owner, 'owner'));
    const b = client(s.url, id, ticketFor(id, editor, 'editor'));
    await waitFor(() => a.provider.synced && b.provider.synced && listNodes(a.doc).length === 2 && listNodes(b.doc).length === 2, 5000, 'seeded doc');
    // Both clients share one history: merging them duplicates nothing.
    Y.applyUpdate(a.doc, Y.encodeStateAsUpdate(b.doc));
    expect(listNodes(a.doc)).toHaveLength(2);
    expect(listNodes(a.doc).find((n) => n.id === 'd')?.position).toEqual({ x: 0, y: 120 });
  });

  it('closes a connection that floods the server with messages', async () => {
    const s = await server({ messageRate: 5, messageBurst: 5 });
    const modelId = await insertModel(db, owner);
    const a = client(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => a.provider.synced, 5000, 'sync');
    const closes: number[] = [];
    a.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    for (let i = 0; i < 20; i++) addNode(a.doc, { id: `f${i}`, type: 'ReLU', position: { x: i, y: 0 } });
    await waitFor(() => closes.includes(4429), 5000, 'rate-limit close');
  });

  it('unloads an idle room from memory after persisting it', async () => {
    const s = await server({ idleUnloadMs: 100 });
    const modelId = await insertModel(db, owner);
    const a = connectClient(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => a.provider.synced, 5000, 'sync');
    addNode(a.doc, { id: 'kept', type: 'ReLU', position: { x: 1, y: 1 } });
    await waitFor(() => s.collab.stats().rooms === 1, 5000, 'room loaded');
    await new Promise((r) => setTimeout(r, 100));
    a.provider.destroy();
    await waitFor(() => s.collab.stats().rooms === 0 && s.collab.stats().unloading === 0, 5000, 'room unloaded and written out');
    const stored = await new YjsStore(db).load(modelId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    expect(listNodes(doc).map((n) => n.id)).toEqual(['kept']);
    const record = await db.collection('models').findOne({ _id: new ObjectId(modelId) });
    expect((record?.graph as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toEqual(['kept']);
  });

  it('syncs a large document to a newcomer', async () => {
    const s = await server();
    const modelId = await insertModel(db, owner);
    const a = client(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => a.provider.synced, 5000, 'sync');
    a.doc.transact(() => {
      for (let i = 0; i < 3000; i++) addNode(a.doc, { id: `n${i}`, type: 'Dense', position: { x: i, y: i }, params: { units: 64, useBias: true, init: 'he', note: 'x'.repeat(200) } });
    });
    expect(Y.encodeStateAsUpdate(a.doc).byteLength).toBeGreaterThan(500_000);
    const b = client(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => b.provider.synced && listNodes(b.doc).length === 3000, 20_000, 'large sync');
  });
});