import { ObjectId, type Binary, type Db } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { CLOSE } from '../close-codes';
import { addNode, listNodes, removeNodes } from '../doc';
import { useTestDatabase } from '../../server/testing/test-db';
import type { CollabServerOptions } from './collab-server';
import { YjsStore } from './persistence';
import { connectClient, insertModel, rawUpgrade, startCollabForTest, ticketFor, waitFor } from './testing';
import { TICKET_TTL_MS } from './ticket';

let db: Db;
const owner = new ObjectId();
const editor = new ObjectId();
const viewer = new ObjectId();
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ({ db } = await useTestDatabase('collab-limits'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(overrides: Partial<CollabServerOptions> = {}) {
  const s = await startCollabForTest(db, overrides);
  cleanups.push(() => s.close());
  return s;
}

function client(url: string, modelId: string, ticket: string) {
  const c = connectClient(url, modelId, ticket);
  cleanups.push(() => c.provider.destroy());
  const closes: number[] = [];
  c.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
  return { ...c, closes };
}

/** One update of a little over `bytes`: a node carrying a long string parameter. */
function addBulkyNode(doc: Y.Doc, id: string, bytes: number, fill = 'x') {
  addNode(doc, { id, type: 'Dense', position: { x: 0, y: 0 }, params: { note: fill.repeat(bytes) } });
}

/** A distinct ticket each call: tickets signed in the same millisecond would otherwise be identical. */
let ticketSerial = 0;
function freshTicket(modelId: string, userId: ObjectId) {
  return ticketFor(modelId, userId, 'owner', 'tester', Date.now() + TICKET_TTL_MS + ++ticketSerial);
}

/** A raw WebSocket that stays open; rejects with the HTTP status if the upgrade is refused. */
function openSocket(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.on('error', (error) => reject(error));
  });
}

async function storedDoc(modelId: string) {
  const stored = await new YjsStore(db).load(modelId);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

describe('collab limits: bytes per second', () => {
  it('closes a socket that floods bytes with TOO_MUCH_DATA while the other users keep editing', async () => {
    // Refill of 1 byte/s: nothing the test does in between can earn the flooder a second burst.
    const s = await server({ maxMessageBytes: 50_000, connectionBytesPerSecond: 1, connectionBytesBurst: 60_000 });
    const modelId = await insertModel(db, owner, [
      { userId: editor, role: 'editor' },
      { userId: viewer, role: 'viewer' },
    ]);
    const flooder = client(s.url, modelId, ticketFor(modelId, owner, 'owner'));
    const b = client(s.url, modelId, ticketFor(modelId, editor, 'editor'));
    const c = client(s.url, modelId, ticketFor(modelId, viewer, 'viewer'));
    await waitFor(() => flooder.provider.synced && b.provider.synced && c.provider.synced, 5000, 'sync');

    for (let i = 0; i < 10; i++) addBulkyNode(flooder.doc, `flood${i}`, 20_000);
    await waitFor(() => flooder.closes.includes(CLOSE.TOO_MUCH_DATA), 5000, 'too-much-data close');
    flooder.provider.destroy();

    addNode(b.doc, { id: 'b1', type: 'ReLU', position: { x: 1, y: 1 } });
    await waitFor(() => listNodes(c.doc).some((n) => n.id === 'b1'), 5000, "b's edit at c");
    expect(b.closes).toEqual([]);
    expect(c.closes).toEqual([]);
    // What came after the budget ran out was never applied.
    const flooded = listNodes(c.doc).filter((n) => n.id.startsWith('flood')).length;
    expect(flooded).toBeGreaterThan(0);
    expect(flooded).toBeLessThan(10);
  });

  it('shares one byte budget between all of a user’s sockets, across rooms', async () => {
    const s = await server({ maxMessageBytes: 50_000, userBytesPerSecond: 1, userBytesBurst: 60_000 });
    const first = await insertModel(db, owner);
    const second = await insertModel(db, owner);
    const a = client(s.url, first, freshTicket(first, owner));
    // The same user: its few bytes of sync count too, far from the budget.
    const watcher = client(s.url, first, freshTicket(first, owner));
    const b = client(s.url, second, freshTicket(second, owner));
    await waitFor(() => a.provider.synced && watcher.provider.synced && b.provider.synced, 5000, 'sync');

    addBulkyNode(a.doc, 'a1', 20_000);
    addBulkyNode(a.doc, 'a2', 20_000);
    await waitFor(() => listNodes(watcher.doc).length === 2, 5000, "a's nodes at the watcher");
    // Each socket alone is far under the per-connection budget; together they are over the user's.
    addBulkyNode(b.doc, 'b1', 20_000);
    addBulkyNode(b.doc, 'b2', 20_000);
    await waitFor(() => b.closes.includes(CLOSE.TOO_MUCH_DATA), 5000, 'too-much-data close on the second room');
    expect(a.closes).toEqual([]);
  });
});

describe('collab limits: document size', () => {
  it('refuses an update that would push the document past the cap, and keeps the room and its storage without it', async () => {
    const maxDocumentBytes = 100_000;
    const first = await startCollabForTest(db, { maxDocumentBytes });
    const modelId = await insertModel(db, owner);
    const a = connectClient(first.url, modelId, freshTicket(modelId, owner));
    const closes: number[] = [];
    a.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));
    const watcher = connectClient(first.url, modelId, freshTicket(modelId, owner));
    await waitFor(() => a.provider.synced && watcher.provider.synced, 5000, 'sync');

    addBulkyNode(a.doc, 'kept', 40_000);
    await waitFor(() => listNodes(watcher.doc).length === 1, 5000, 'first node at the watcher');
    addBulkyNode(a.doc, 'too-big', 70_000, 'y');
    await waitFor(() => closes.includes(CLOSE.DOCUMENT_TOO_LARGE), 5000, 'document-too-large close');
    a.provider.destroy();

    // The room never held it: a newcomer and the stored document have only the first node.
    const newcomer = connectClient(first.url, modelId, freshTicket(modelId, owner));
    await waitFor(() => newcomer.provider.synced, 5000, 'newcomer sync');
    expect(listNodes(newcomer.doc).map((n) => n.id)).toEqual(['kept']);
    expect(listNodes(watcher.doc).map((n) => n.id)).toEqual(['kept']);
    newcomer.provider.destroy();
    watcher.provider.destroy();
    await first.close();
    expect(listNodes(await storedDoc(modelId)).map((n) => n.id)).toEqual(['kept']);

    // Reloaded from the database the room still works, and room freed by a delete can be used
    // again: the size estimate is re-measured, not only summed.
    const second = await server({ maxDocumentBytes });
    const d = client(second.url, modelId, freshTicket(modelId, owner));
    const e = client(second.url, modelId, freshTicket(modelId, owner));
    await waitFor(() => d.provider.synced && e.provider.synced, 5000, 'sync after reload');
    expect(listNodes(d.doc).map((n) => n.id)).toEqual(['kept']);
    removeNodes(d.doc, ['kept']);
    addBulkyNode(d.doc, 'replacement', 70_000, 'z');
    await waitFor(() => listNodes(e.doc).map((n) => n.id).join() === 'replacement', 5000, 'replacement at the other client');
    expect(d.closes).toEqual([]);
  });
});

describe('collab limits: sockets', () => {
  it('refuses a user’s socket past the cap, across rooms, until one closes', async () => {
    const s = await server({ maxSocketsPerUser: 3 });
    const first = await insertModel(db, owner);
    const second = await insertModel(db, owner);
    const others = await insertModel(db, editor);
    const open: WebSocket[] = [];
    cleanups.push(() => open.forEach((ws) => ws.close()));
    open.push(await openSocket(`${s.url}/${first}?ticket=${freshTicket(first, owner)}`));
    open.push(await openSocket(`${s.url}/${first}?ticket=${freshTicket(first, owner)}`));
    open.push(await openSocket(`${s.url}/${second}?ticket=${freshTicket(second, owner)}`));

    const refused = await rawUpgrade(`${s.url}/${second}?ticket=${freshTicket(second, owner)}`);
    expect(refused).toMatchObject({ opened: false, status: 429 });
    expect(JSON.parse(refused.body!)).toMatchObject({ code: 'TOO_MANY_SOCKETS' });
    // Another user is not affected.
    expect((await rawUpgrade(`${s.url}/${others}?ticket=${ticketFor(others, editor, 'owner')}`)).opened).toBe(true);

    open.shift()!.close();
    await waitFor(() => s.collab.stats().connections === 2, 5000, 'socket closed on the server');
    expect((await rawUpgrade(`${s.url}/${second}?ticket=${freshTicket(second, owner)}`)).opened).toBe(true);
  });

  it('lets one ticket open only a bounded number of sockets', async () => {
    const s = await server({ maxSocketsPerTicket: 2 });
    const modelId = await insertModel(db, owner);
    const ticket = freshTicket(modelId, owner);
    expect((await rawUpgrade(`${s.url}/${modelId}?ticket=${ticket}`)).opened).toBe(true);
    expect((await rawUpgrade(`${s.url}/${modelId}?ticket=${ticket}`)).opened).toBe(true);
    const third = await rawUpgrade(`${s.url}/${modelId}?ticket=${ticket}`);
    expect(third).toMatchObject({ opened: false, status: 429 });
    expect(JSON.parse(third.body!)).toMatchObject({ code: 'TICKET_USED_UP' });
    expect((await rawUpgrade(`${s.url}/${modelId}?ticket=${freshTicket(modelId, owner)}`)).opened).toBe(true);
  });
});

describe('collab limits: persistence', () => {
  it('writes a burst of medium updates as several appends under the threshold, and a reload has all of it', async () => {
    const maxAppendBytes = 64 * 1024;
    // One long batch window and no compaction: the whole burst is one batch, left in the update log.
    const first = await startCollabForTest(db, { maxAppendBytes, writeBatchMs: 500, compactEvery: 1000 });
    const modelId = await insertModel(db, owner);
    const a = connectClient(first.url, modelId, freshTicket(modelId, owner));
    await waitFor(() => a.provider.synced, 5000, 'sync');
    for (let i = 0; i < 20; i++) addBulkyNode(a.doc, `n${i}`, 10_000, String.fromCharCode(97 + i));

    const updates = db.collection<{ modelId: string; update: Binary }>('yjsUpdates');
    const stored = async () => (await updates.find({ modelId }).toArray()).map((u) => u.update.length());
    let sizes: number[] = [];
    for (let tries = 0; sizes.reduce((n, b) => n + b, 0) < 200_000; tries++) {
      if (tries > 200) throw new Error(`timed out waiting for the burst in the update log: ${sizes.join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
      sizes = await stored();
    }
    expect(sizes.length).toBeGreaterThanOrEqual(Math.ceil(200_000 / maxAppendBytes));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(maxAppendBytes);
    expect(listNodes(await storedDoc(modelId))).toHaveLength(20);

    a.provider.destroy();
    await first.close();
    const second = await server();
    const b = client(second.url, modelId, freshTicket(modelId, owner));
    await waitFor(() => b.provider.synced && listNodes(b.doc).length === 20, 5000, 'the whole document after a reload');
    const node = listNodes(b.doc).find((n) => n.id === 'n7');
    expect(node?.params.note).toBe('h'.repeat(10_000));
  });
});
