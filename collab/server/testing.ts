import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db, ObjectId } from 'mongodb';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { addCollaborator } from '../../server/models/collaborators';
import { createModelCollabServer } from '../../server/models/collab-server';
import { insertModel as createModel } from '../../server/models/lifecycle';
import type { CollabServer, CollabServerOptions } from './collab-server';
import { signTicket, TICKET_TTL_MS, type RoomRole } from './ticket';

export const TEST_SECRET = 'test-secret-for-collab';

/** The real collab server on a real HTTP port, wired to the real database as `npm start` wires it. */
export async function startCollabForTest(db: Db, overrides: Partial<CollabServerOptions> = {}, port = 0) {
  const collab: CollabServer = createModelCollabServer(db, TEST_SECRET, { changedDebounceMs: 50, ...overrides });
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    collab,
    port: bound,
    url: `ws://127.0.0.1:${bound}/collab`,
    async close() {
      await collab.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A model made as the app makes one (record, membership rows), for people who need no account. */
export async function insertModel(db: Db, ownerId: ObjectId, collaborators: { userId: ObjectId; role: 'editor' | 'viewer' }[] = []) {
  const person = (id: ObjectId) => ({ _id: id, email: `${id.toHexString()}@collab.test` });
  const _id = await createModel(db, { owner: person(ownerId), name: 'Test model', graph: { nodes: [], edges: [] }, layout: {} });
  for (const c of collaborators) await addCollaborator(db, { _id }, person(ownerId).email, person(c.userId), c.role);
  return _id.toHexString();
}

export function ticketFor(modelId: string, userId: ObjectId, role: RoomRole, name = 'tester', exp = Date.now() + TICKET_TTL_MS) {
  return signTicket({ modelId, userId: userId.toHexString(), name, role, exp }, TEST_SECRET);
}

/** A y-websocket client, as the browser uses it, in Node. */
export function connectClient(url: string, modelId: string, ticket: string, doc = new Y.Doc()) {
  const provider = new WebsocketProvider(url, modelId, doc, {
    params: { ticket },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 200,
  });
  return { doc, provider };
}

export function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

/** Tries a raw WebSocket upgrade and reports the HTTP status and body the server refused it with. */
export function rawUpgrade(url: string): Promise<{ opened: boolean; status?: number; body?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ opened: false, status: res.statusCode, body }));
    });
    ws.on('error', () => undefined);
  });
}
