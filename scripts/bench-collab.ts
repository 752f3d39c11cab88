/**
 * `npm run bench:collab [-- --quick]`: N clients in one room on loopback, each moving its own node;
 * propagation latency to every other client (p50/p99), updates delivered per second, the server's
 * CPU and memory (it runs in its own process), and the time to open a 1,000-node model from the
 * database. Prints one JSON line at the end.
 */
import { percentile } from './lib/bench-runs';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// Each y-websocket provider in Node adds a process 'exit' listener.
process.setMaxListeners(0);
const here = path.dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const CLIENT_COUNTS = [10, 50, 200];
const SECONDS = quick ? 4 : 12;
// The whole room's edit rate: people dragging, about 20 writes/s each for a few at a time.
const ROOM_UPDATES_PER_SECOND = 100;

let nextId = 1;
function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (reply: { id: number }) => {
      if (reply.id !== id) return;
      child.off('message', onMessage);
      resolve(reply as T);
    };
    child.on('message', onMessage);
    child.send({ ...message, id });
  });
}

function connect(port: number, modelId: string, ticket: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/collab`, modelId, doc, {
    params: { ticket },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return { doc, provider };
}

function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const tick = () => (check() ? resolve() : performance.now() - started > timeoutMs ? reject(new Error('timeout')) : setTimeout(tick, 5));
    tick();
  });
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function room(server: ChildProcess, port: number, clients: number) {
  const { modelId, ticket } = await ask<{ modelId: string; ticket: string }>(server, { kind: 'model' });
  const peers = Array.from({ length: clients }, () => connect(port, modelId, ticket));
  await waitUntil(() => peers.every((p) => p.provider.synced), 60_000);
  // Each client owns one node; moves carry their send time (same process, same clock).
  peers.forEach((p, i) => {
    const node = new Y.Map<unknown>();
    p.doc.getMap('nodes').set(`c${i}`, node);
    node.set('type', 'ReLU');
    node.set('position', { x: 0, y: 0 });
  });
  await waitUntil(() => peers.every((p) => p.doc.getMap('nodes').size === clients), 60_000);

  const latencies: number[] = [];
  let measuring = false;
  for (const p of peers) {
    p.doc.getMap('nodes').observeDeep((events, transaction) => {
      if (!measuring || transaction.local) return;
      const now = performance.now();
      for (const event of events) {
        if (event instanceof Y.YMapEvent && event.keysChanged.has('position')) {
          const sentAt = (event.target.get('position') as { x: number }).x;
          if (sentAt > 0) latencies.push(now - sentAt);
        }
      }
    });
  }

  await ask(server, { kind: 'stats' }); // reset the CPU window
  measuring = true;
  const intervalMs = 1000 / ROOM_UPDATES_PER_SECOND;
  let sent = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() - started >= SECONDS * 1000) {
        clearInterval(timer);
        return resolve();
      }
      const i = sent++ % clients;
      const node = peers[i]!.doc.getMap<Y.Map<unknown>>('nodes').get(`c${i}`)!;
      node.set('position', { x: performance.now(), y: sent });
    }, intervalMs);
  });
  await new Promise((r) => setTimeout(r, 500)); // let the last updates land
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  const stats = await ask<{ cpuPercent: number; rssMB: number }>(server, { kind: 'stats' });
  for (const p of peers) p.provider.destroy();
  latencies.sort((x, y) => x - y);
  const expected = sent * (clients - 1);
  return {
    clients,
    sent,
    delivered: latencies.length,
    deliveredRatio: round(latencies.length / expected, 4),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    deliveredPerSecond: Math.round(latencies.length / elapsed),
    serverCpuPercent: round(stats.cpuPercent, 1),
    serverRssMB: round(stats.rssMB, 1),
  };
}

async function loadBigModel(server: ChildProcess, port: number, nodes: number) {
  const { modelId, ticket } = await ask<{ modelId: string; ticket: string }>(server, { kind: 'model', nodes });
  const started = performance.now();
  const client = connect(port, modelId, ticket);
  await waitUntil(() => client.provider.synced && client.doc.getMap('nodes').size === nodes, 60_000);
  const ms = performance.now() - started;
  client.provider.destroy();
  return round(ms, 1);
}

async function main() {
  const server = fork(path.join(here, 'lib', 'collab-bench-server.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise<{ port: number }>((resolve) => server.once('message', resolve as never));
  const results = [];
  for (const clients of CLIENT_COUNTS) {
    const result = await room(server, port, clients);
    console.error(`[bench:collab] ${clients} clients: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.deliveredPerSecond} updates/s delivered, server ${result.serverCpuPercent}% CPU, ${result.serverRssMB} MB`);
    results.push(result);
  }
  const load1000NodesMs = await loadBigModel(server, port, 1000);
  console.error(`[bench:collab] cold open of a 1,000-node model: ${load1000NodesMs} ms`);
  await ask(server, { kind: 'stop' });
  console.log(JSON.stringify({ bench: 'collab', quick, secondsPerRoom: SECONDS, roomUpdatesPerSecond: ROOM_UPDATES_PER_SECOND, rooms: results, load1000NodesMs, targetP99At50ClientsMs: 10 }));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
