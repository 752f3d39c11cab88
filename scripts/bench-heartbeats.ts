/**
 * `npm run bench:heartbeats [-- --machines 1000 --processes 4 --seconds 60 --interval 10]`: simulated
 * node-runners heartbeating against one API server on a throw-away embedded database.
 *
 * The machines are registered through machines.register (staking through the ledger, as a real
 * runner does), then spread over several load processes that each send their share of heartbeats
 * every --interval seconds, evenly phased, for --seconds. Prints ONE JSON line: heartbeat p50/p99,
 * the server's CPU and memory (the API process and, separately, its database processes), and the
 * database's writes per second. Target: p99 < 20 ms.
 */
import { percentile } from './lib/bench-runs';
import { postTrpc, runHeartbeatWorker, startBenchServer } from './lib/bench-api-server';
import { CLOCK_TICKS, descendants, usage } from './lib/process-cpu';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ObjectId, type Db } from 'mongodb';
import { cyx, MIN_STAKE } from '../programs/index';
import { createApiKey } from '../server/auth/api-keys';
import { signUp } from '../server/auth/users';
import { createMongoClient, databaseNameFrom } from '../server/db/client';
import { freePort } from '../server/db/embedded';
import { getLedger } from '../server/ledger/index';
import { MAX_MACHINES_PER_OWNER } from '../server/machines/register';

const { values: flags } = parseArgs({
  options: {
    machines: { type: 'string', default: '1000' },
    processes: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '60' },
    interval: { type: 'string', default: '10' },
  },
});
const MACHINES = Number(flags.machines);
const PROCESSES = Number(flags.processes);
const SECONDS = Number(flags.seconds);
const INTERVAL_MS = Number(flags.interval) * 1000;
const log = (m: string) => console.error(`[bench:heartbeats] ${m}`);

const inventory = {
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  cpu: { model: 'Bench CPU', cores: 16, threads: 32 },
  ramBytes: 64 * 2 ** 30,
  webgpu: [{ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA RTX A6000', isFallback: false, limits: { maxBufferSize: 2 ** 31 } }],
  nvidia: [{ name: 'NVIDIA RTX A6000', vramBytes: 48 * 2 ** 30, driver: '535.104', cuda: '12.2' }],
};

async function inParallel<T>(items: T[], width: number, work: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  }));
}

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** Writes the database has served, when it reports them (serverStatus opcounters). */
async function databaseWrites(db: Db): Promise<number | null> {
  try {
    const status = (await db.admin().command({ serverStatus: 1 })) as { opcounters?: Record<string, number> };
    const c = status.opcounters;
    if (!c) return null;
    return Number(c.insert ?? 0) + Number(c.update ?? 0) + Number(c.delete ?? 0);
  } catch {
    return null;
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-bench-heartbeats-'));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  log('starting the API server and its embedded database…');
  const server = await startBenchServer(dataDir, port);
  const client = createMongoClient(server.mongoUri);
  await client.connect();
  const db = client.db(databaseNameFrom(server.mongoUri));
  try {
    // Providers with enough CYX for their stakes; each may register MAX_MACHINES_PER_OWNER machines.
    const owners = Math.ceil(MACHINES / MAX_MACHINES_PER_OWNER);
    const ledger = await getLedger(db);
    const keys: string[] = [];
    for (let i = 0; i < owners; i++) {
      const user = await signUp(db, { email: `provider${i}@bench.test`, username: `provider${i}`, password: 'bench-password-1' });
      keys.push((await createApiKey(db, new ObjectId(user.id), 'bench', null)).key);
      const minted = await ledger.submit({ kind: 'mint', key: `bench-heartbeats:${i}`, at: Date.now(), by: 'bench', to: user.id, amount: MIN_STAKE * BigInt(MAX_MACHINES_PER_OWNER) + cyx(1), reason: 'bench stakes' });
      if (!minted.outcome.ok) throw new Error(`mint refused: ${minted.outcome.message}`);
    }
    await ledger.close();

    log(`registering ${MACHINES} machines over HTTP…`);
    const t0 = Date.now();
    const credentials: string[] = new Array<string>(MACHINES);
    await inParallel(Array.from({ length: MACHINES }, (_, i) => i), 8, async (i) => {
      const answer = await postTrpc<{ credential: string }>(server.url, 'machines.register', keys[Math.floor(i / MAX_MACHINES_PER_OWNER)]!, { name: `bench-${i}`, pricePerHourMicro: '1000000', inventory, offer: { unitIndexes: [0, 1] } });
      credentials[i] = answer.credential;
    });
    const registerS = (Date.now() - t0) / 1000;
    log(`registered in ${registerS.toFixed(1)} s; heartbeating every ${INTERVAL_MS / 1000} s for ${SECONDS} s from ${PROCESSES} processes…`);

    const startAt = Date.now() + 5_000;
    const shares = Array.from({ length: PROCESSES }, (_, p) => credentials.filter((_, i) => i % PROCESSES === p));
    const workers = shares.map((share, p) => runHeartbeatWorker({ url: server.url, credentials: share, intervalMs: INTERVAL_MS, seconds: SECONDS, startAt, phaseMs: (p / PROCESSES) * (INTERVAL_MS / Math.max(1, share.length)) }));
    // Measured from the second round on: the first opens the connections and warms the JIT.
    await new Promise((r) => setTimeout(r, Math.max(0, startAt + INTERVAL_MS - Date.now())));
    const dbPids = descendants(server.pid);
    const before = { app: usage([server.pid]), db: usage(dbPids), writes: await databaseWrites(db), at: performance.now() };
    const results = await Promise.all(workers);
    const after = { app: usage([server.pid]), db: usage(descendants(server.pid)), writes: await databaseWrites(db), at: performance.now() };
    const wallS = (after.at - before.at) / 1000;

    const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const warmup = results.flatMap((r) => r.warmupMs).sort((a, b) => a - b);
    const slowAt = results.flatMap((r) => r.slowAtS);
    const statuses: Record<string, number> = {};
    for (const r of results) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
    const failed = Object.entries(statuses).filter(([s]) => s !== '200').reduce((n, [, c]) => n + c, 0);
    if (failed > 0) log(`${failed} heartbeats were not answered 200: ${JSON.stringify(statuses)}`);
    const cpu = (ticks: number) => round(((ticks / CLOCK_TICKS) / wallS) * 100, 1);
    const measuredWrites = before.writes !== null && after.writes !== null && after.writes > before.writes ? after.writes - before.writes : null;
    const summary = {
      bench: 'heartbeats',
      engine: server.engine,
      machines: MACHINES,
      load_processes: PROCESSES,
      interval_s: INTERVAL_MS / 1000,
      seconds: SECONDS,
      register_s: round(registerS, 1),
      heartbeats: latencies.length + warmup.length,
      statuses,
      first_round: { heartbeats: warmup.length, p50_ms: round(percentile(warmup, 50)), p99_ms: round(percentile(warmup, 99)) },
      measured_heartbeats: latencies.length,
      heartbeats_per_s: round(latencies.length / wallS, 1),
      heartbeat_p50_ms: round(percentile(latencies, 50)),
      heartbeat_p99_ms: round(percentile(latencies, 99)),
      heartbeat_max_ms: round(latencies.at(-1) ?? NaN),
      // Slow answers bunched into a few seconds point at stalls (fsync, GC), spread out at CPU contention.
      over_50ms: { heartbeats: slowAt.length, distinct_seconds: new Set(slowAt).size },
      server_cpu_percent: cpu(after.app.ticks - before.app.ticks),
      server_rss_mb: after.app.rssMb,
      database_cpu_percent: cpu(after.db.ticks - before.db.ticks),
      database_rss_mb: after.db.rssMb,
      // Each accepted heartbeat is one findAndModify; the credential lookup before it is a read.
      db_writes_per_s: round((measuredWrites ?? latencies.length) / wallS, 1),
      db_writes_source: measuredWrites !== null ? 'serverStatus opcounters' : 'accepted heartbeats (one update each)',
      target_p99_under_20ms: percentile(latencies, 99) < 20,
      machine: `${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
