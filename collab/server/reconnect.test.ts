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

  it('stops with a message when the server refuses a change for making the document too large', async () => {
    const modelId = await insertModel(db, owner);
    const server = await startCollabForTest(db, { maxDocumentBytes: 50_000 });
    cleanups.push(() => server.close());
    const statuses: string[] = [];
    let tickets = 0;
    const doc = new Y.Doc();
    const connection = new RoomConnection({
      origin: `http://127.0.0.1:${server.port}`,
      modelId,
      doc,
      getTicket: async () => {
        tickets++;
        return ticketFor(modelId, owner, 'owner', 'tester', Date.now() + 60_000 + tickets);
      },
      onStatus: (s, detail) => statuses.push(detail ? `${s}: ${detail}` : s),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      baseDelayMs: 10,
      maxDelayMs: 20,
    });
    cleanups.push(() => connection.destroy());
    connection.start();
    await waitFor(() => connection.provider.synced, 5000, 'sync');
    addNode(doc, { id: 'huge', type: 'Dense', position: { x: 0, y: 0 }, params: { note: 'x'.repeat(60_000) } });
    await waitFor(() => connection.currentStatus === 'denied', 5000, 'denied');
    expect(statuses.at(-1)).toMatch(/^denied: This model has reached its size limit/);
    // Reconnecting would only send the refused change again: with 10-20 ms backoffs, a loop would show here.
    await new Promise((r) => setTimeout(r, 300));
    expect(tickets).toBe(1);
    expect(connection.currentStatus).toBe('denied');
  });

  it('backs off with a message after sending too much data, then delivers the rest', async () => {
    const modelId = await insertModel(db, owner);
    const server = await startCollabForTest(db, { maxMessageBytes: 50_000, connectionBytesPerSecond: 1, connectionBytesBurst: 60_000 });
    cleanups.push(() => server.close());
    const statuses: string[] = [];
    let tickets = 0;
    const doc = new Y.Doc();
    const connection = new RoomConnection({
      origin: `http://127.0.0.1:${server.port}`,
      modelId,
      doc,
      getTicket: async () => {
        tickets++;
        return ticketFor(modelId, owner, 'owner', 'tester', Date.now() + 60_000 + tickets);
      },
      onStatus: (s, detail) => statuses.push(detail ? `${s}: ${detail}` : s),
      WebSocketImpl: WebSocket as unknown as typeof globalThis.WebSocket,
      maxDelayMs: 200,
    });
    cleanups.push(() => connection.destroy());
    connection.start();
    await waitFor(() => connection.provider.synced, 5000, 'sync');
    // Three fit the socket's burst, the fourth does not; after the reconnect it is all one sync step.
    for (let i = 0; i < 4; i++) addNode(doc, { id: `n${i}`, type: 'Dense', position: { x: i, y: 0 }, params: { note: 'x'.repeat(18_000) } });
    await waitFor(() => statuses.includes('offline: This tab sent too much data too quickly; reconnecting shortly.'), 5000, 'too-much-data status');
    const peer = connectClient(server.url, modelId, ticketFor(modelId, owner, 'owner'));
    cleanups.push(() => peer.provider.destroy());
    await waitFor(() => connection.currentStatus === 'connected' && listNodes(peer.doc).length === 4, 5000, 'reconnected and delivered');
    expect(tickets).toBe(2);
  });
});
