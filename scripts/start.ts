/**
 * `npm start`: the database, the web app and the collaboration socket on one port, with demo data.
 * Flags: --dev (Next dev server), --port N, --data-dir DIR, --no-seed, --with-runner (a local node-runner
 * for the demo provider, so a machine comes online on My machines).
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bootstrapDatabase, type ReadyDatabase } from '../server/db/bootstrap';
import { startAppServer, COLLAB_PATH, type AppServer } from '../server/http/app-server';
import { pruneExpiredHits } from '../server/auth/rate-limit';
import { ORPHAN_SWEEP_INTERVAL_MS, sweepOrphans } from '../server/datasets/sweep-orphans';
import type { CollabServer } from '../collab/server/collab-server';
import { registerCollabServer } from '../server/collab-bridge';
import { apiRouteFor } from '../server/http/api-routes';
import { createModelCollabServer } from '../server/models/collab-server';
import { DEMO_ADMIN, DEMO_USER, seedDemo } from '../server/seed';
import { SETTLE_INTERVAL_MS, settlePending } from '../server/jobs/effects';
import { startSchedulerLoop, type SchedulerLoop } from '../server/jobs/scheduler-loop';
import { registerSchedulerPoke } from '../server/jobs/scheduler-poke';
import { ensureAuthSecret } from './lib/auth-secret';
import { ensureNextBuild } from './lib/next-build';
import { startDemoRunner } from './lib/demo-runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (message: string) => console.log(`[cyxwiz] ${message}`);

const { values: flags } = parseArgs({
  options: {
    dev: { type: 'boolean', default: false },
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    'no-seed': { type: 'boolean', default: false },
    'with-runner': { type: 'boolean', default: false },
  },
});

const runtimeFile = (dataDir: string) => path.join(dataDir, 'runtime.json');

let database: ReadyDatabase | null = null;
let app: AppServer | null = null;
let collab: CollabServer | null = null;
let runner: { stop(): Promise<void> } | null = null;
let scheduler: SchedulerLoop | null = null;
let settleTimer: NodeJS.Timeout | null = null;

/** Stops the network jobs' scheduler and money sweep: a pass under way finishes first. */
async function stopJobs(): Promise<void> {
  if (settleTimer) clearInterval(settleTimer);
  registerSchedulerPoke(undefined);
  await scheduler?.stop();
}

async function main() {
  const started = Date.now();
  const port = Number(flags.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a number from 1 to 65535, got "${flags.port ?? process.env.PORT}".`);
  const hostname = process.env.HOST ?? '127.0.0.1';
  const dataDir = path.resolve(root, flags['data-dir'] ?? process.env.CYXWIZ_DATA_DIR ?? '.data');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down…`);
    await runner?.stop().catch((e: unknown) => console.error(e));
    await collab?.close().catch((e: unknown) => console.error(e));
    await app?.close().catch((e: unknown) => console.error(e));
    await stopJobs().catch((e: unknown) => console.error(e));
    await database?.stop();
    rmSync(runtimeFile(dataDir), { force: true });
    log('stopped; the database is flushed.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  database = await bootstrapDatabase({ root, dataDir, uri: process.env.MONGODB_URI || undefined, log });
  log(`database: ${database.description}`);
  if (!flags.dev) ensureNextBuild(root, log);
  process.env.MONGODB_URI = database.uri;
  process.env.AUTH_SECRET = ensureAuthSecret(dataDir);
  process.env.NEXT_TELEMETRY_DISABLED = '1';

  const db = database.db;
  setInterval(() => void pruneExpiredHits(db).catch(() => undefined), 10 * 60_000).unref();
  // Blobs and previews whose dataset or run record never landed (a crash mid-upload), once past their grace period.
  const sweep = () => void sweepOrphans(db).catch((error: unknown) => console.error('[cyxwiz] orphan sweep failed:', error));
  sweep();
  setInterval(sweep, ORPHAN_SWEEP_INTERVAL_MS).unref();
  // Network jobs: scheduling passes (expired leases first) every 5 s and when a job is submitted or
  // cancelled, and a sweep that finishes the money steps a crash left undone (server/jobs/effects.ts).
  // Runners execute the jobs they are leased, so the scheduler runs by default; CYXWIZ_SCHEDULER=0
  // turns it off (submitted jobs then wait, escrowed, and cancelling refunds them in full).
  if (process.env.CYXWIZ_SCHEDULER !== '0') {
    scheduler = startSchedulerLoop(db, { onError: (error: unknown) => console.error('[cyxwiz] scheduler pass failed:', error) });
    registerSchedulerPoke(() => void scheduler?.poke().catch((error: unknown) => console.error('[cyxwiz] scheduler pass failed:', error)));
  }
  const settle = () =>
    void settlePending(db, new Date())
      .then(({ failed }) => failed.forEach((f) => console.error(`[cyxwiz] job ${f.jobId}: money step failed: ${f.message}`)))
      .catch((error: unknown) => console.error('[cyxwiz] job settlement sweep failed:', error));
  settleTimer = setInterval(settle, SETTLE_INTERVAL_MS);
  settleTimer.unref();

  const seed = !flags['no-seed'] && process.env.SEED_DEMO !== '0';
  // Demo mode hands out CYX from a dev faucet unless told otherwise; a start without demo data does not.
  if (seed) process.env.CYXWIZ_FAUCET ??= '1';
  if (seed) await seedDemo(database.db);

  collab = createModelCollabServer(db, process.env.AUTH_SECRET);
  registerCollabServer(collab);
  app = await startAppServer({
    dir: root,
    port,
    hostname,
    dev: flags.dev,
    trustProxy: process.env.TRUST_PROXY === '1',
    onCollabUpgrade: collab.handleUpgrade,
    apiRoute: (req) => apiRouteFor(req, db),
  });
  // For tools and tests on this machine: where this instance listens and which database it uses.
  writeFileSync(runtimeFile(dataDir), JSON.stringify({ url: app.url, mongoUri: database.uri, pid: process.pid }), { mode: 0o600 });
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${app.url}`);
  log(`collaboration socket: ${app.url.replace(/^http/, 'ws')}${COLLAB_PATH}`);
  if (seed) {
    log(`demo admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    log(`demo user:  ${DEMO_USER.email} / ${DEMO_USER.password}`);
  }
  if (flags['with-runner']) {
    if (!seed) throw new Error('--with-runner runs a machine for the demo provider; it cannot be combined with --no-seed.');
    runner = await startDemoRunner({ root, dataDir, url: app.url, db, email: DEMO_USER.email, log });
    log(`demo runner started for ${DEMO_USER.email}: sign in as the demo user and open ${app.url}/machines`);
  }
  log('press Ctrl-C to stop');
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`[cyxwiz] could not start: ${message}`);
  await runner?.stop().catch(() => undefined);
  await collab?.close().catch(() => undefined);
  await app?.close().catch(() => undefined);
  await stopJobs().catch(() => undefined);
  await database?.stop();
  process.exit(1);
});
