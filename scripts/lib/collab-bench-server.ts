/**
 * The collaboration server alone, in its own process, for scripts/bench-collab.ts: the real
 * database (embedded unless MONGODB_URI is set), the real socket server, IPC for set-up and stats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectId } from 'mongodb';
import * as Y from 'yjs';
import { YjsStore } from '../../collab/server/persistence';
import { signTicket } from '../../collab/server/ticket';
import { bootstrapDatabase } from '../../server/db/bootstrap';
import { createModelCollabServer } from '../../server/models/collab-server';
import { insertModel } from '../../server/models/lifecycle';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'bench-secret';

type Request = { id: number; kind: 'model'; nodes?: number } | { id: number; kind: 'stats' } | { id: number; kind: 'stop' };

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-bench-collab-'));
  const database = await bootstrapDatabase({ root, dataDir, uri: process.env.MONGODB_URI || undefined });
  const db = database.db;
  const owner = new ObjectId();
  // A bench client sends far more than a person would, and every client is one user on one ticket.
  const collab = createModelCollabServer(db, SECRET, { messageRate: 10_000, messageBurst: 10_000, maxSocketsPerUser: 1_000, maxSocketsPerTicket: 1_000, userBytesPerSecond: 256 * 2 ** 20 });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => collab.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  let cpuMark = process.cpuUsage();
  let timeMark = performance.now();

  process.on('message', async (message: Request) => {
    if (message.kind === 'model') {
      const _id = await insertModel(db, { owner: { _id: owner, email: 'bench@bench.invalid' }, name: 'bench', graph: { nodes: [], edges: [] }, layout: {} });
      const modelId = _id.toHexString();
      if (message.nodes) {
        // A big model, stored as the server stores one after editing: a snapshot in the database.
        const doc = new Y.Doc();
        doc.transact(() => {
          const nodes = doc.getMap<Y.Map<unknown>>('nodes');
          const edges = doc.getMap('edges');
          for (let i = 0; i < message.nodes!; i++) {
            const node = new Y.Map<unknown>();
            nodes.set(`n${i}`, node);
            node.set('type', 'Dense');
            node.set('position', { x: (i % 40) * 200, y: Math.floor(i / 40) * 100 });
            const params = new Y.Map<unknown>();
            node.set('params', params);
            params.set('units', 64);
            if (i > 0) edges.set(`e${i}`, { source: `n${i - 1}`, sourceHandle: 'out', target: `n${i}`, targetHandle: 'in' });
          }
        });
        await new YjsStore(db).compact(modelId, Y.encodeStateAsUpdate(doc), 0);
      }
      const ticket = signTicket({ modelId, userId: owner.toHexString(), name: 'bench', role: 'owner', exp: Date.now() + 3_600_000 }, SECRET);
      process.send!({ id: message.id, modelId, ticket });
    } else if (message.kind === 'stats') {
      const cpu = process.cpuUsage(cpuMark);
      const elapsedMs = performance.now() - timeMark;
      cpuMark = process.cpuUsage();
      timeMark = performance.now();
      process.send!({ id: message.id, cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100, rssMB: process.memoryUsage().rss / 2 ** 20, ...collab.stats() });
    } else if (message.kind === 'stop') {
      await collab.close();
      http.closeAllConnections();
      http.close();
      await database.stop();
      rmSync(dataDir, { recursive: true, force: true });
      process.send!({ id: message.id });
      process.exit(0);
    }
  });
  process.send!({ id: 0, port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
