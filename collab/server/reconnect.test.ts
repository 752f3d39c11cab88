import { ObjectId, type Db } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { RoomConnection, type RoomStatus } from '../client/room-connection';
import { addNode, listNodes, moveNode } from '../doc';
import { useTestDatabase } from '../../server/testing/test-db';
import { connectClient, insertModel, startCollabForTest, ticketFor, waitFor } from './testing';

let db: Db;
const owner = new ObjectId();
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(async () => {
  ({ db } = await useTestDatabase('reconnect'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('RoomConnection against the real server', () => {
  it('merges edits made offline when it comes back, and survives a server restart on the same port', async () => {
    const modelId = await insertModel(db, owner);
    let server = await startCollabForTest(db);
    const port = server.port;
    const tickets: number[] = [];
    const statuses: RoomStatus[] = [];
    const doc = new Y.Doc();
    const connection = new RoomConnection({
      origin: `http://127.0.0.1:${port}`,
      modelId,
      doc,
      getTicket: async () => {
        tickets.push(Date.now());
        return ticketFor(modelId, owner, 'owner');
      },
      onStatus: (s) => statuses.push(s),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      baseDelayMs: 20,
      maxDelayMs: 200,
    });
    cleanups.push(() => connection.destroy());
    connection.start();
    const peer = connectClient(server.url, modelId, ticketFor(modelId, owner, 'owner'));
    await waitFor(() => connection.provider.synced && peer.provider.synced, 5000, 'sync');

    // Offline: both sides keep editing.
    connection.pause();
    addNode(doc, { id: 'offline-a', type: 'ReLU', position: { x: 0, y: 0 } });
    addNode(peer.doc, { id: 'online-b', type: 'Tanh', position: { x: 10, y: 0 } });
    await new Promise((r) => setTimeout(r, 100));
    expect(listNodes(doc).map((n) => n.id)).toEqual(['offline-a']);
    connection.resume();
    await waitFor(() => listNodes(doc).length === 2 && listNodes(peer.doc).length === 2, 5000, 'convergence after offline');

    // The server goes away and comes back: the connection retries with fresh tickets and resyncs.
    peer.provider.destroy();
    await server.close();
    await waitFor(() => connection.currentStatus !== 'connected', 5000, 'noticing the server is gone');
    moveNode(doc, 'offline-a', { x: 99, y: 99 });
    const ticketsBefore = tickets.length;
    server = await startCollabForTest(db, {}, port);
    cleanups.push(() => server.close());
    await waitFor(() => connection.currentStatus === 'connected' && connection.provider.synced, 10_000, 'reconnect');
    expect(tickets.length).toBeGreaterThan(ticketsBefore);
    const fresh = connectClient(server.url, modelId, ticketFor(modelId, owner, 'owner'));
    cleanups.push(() => fresh.provider.destroy());
    await waitFor(() => listNodes(fresh.doc).find((n) => n.id === 'offline-a')?.position.x === 99, 5000, 'edit made while the server was down');
    expect(statuses).toContain('offline');
  });

  it('stops with "denied" when the server says access is gone', async () => {
    const modelId = await insertModel(db, owner);
    const server = await startCollabForTest(db);
    cleanups.push(() => server.close());
    const statuses: string[] = [];
    const connection = new RoomConnection({
      origin: `http://127.0.0.1:${server.port}`,
      modelId,
      doc: new Y.Doc(),
      getTicket: () => Promise.reject(Object.assign(new Error('NOT_FOUND'), { denied: true })),
      onStatus: (s, detail) => statuses.push(detail ? `${s}: ${detail}` : s),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    cleanups.push(() => connection.destroy());
    connection.start();
    await waitFor(() => connection.currentStatus === 'denied', 2000, 'denied');
    expect(statuses.at(-1)).toBe('denied: You no longer have access to this model.');
  });
});
