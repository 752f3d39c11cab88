/**
 * `npm run bench:api [-- --quick] [-- --engine postgresql|sqlite]`: the API's read paths under load, on
 * the app exactly as `npm start` runs it (its own process, embedded database, production build).
 *
 * One person's view stays the same size (10 models of their own, 5 shared with them, 10 datasets)
 * while everyone else's data grows from 100 models to 10,000 (1,000 users, 2,000 datasets, 50,000
 * collaborative updates): a flat cost means the second measurement matches the first.
 * Each of models.list, models.get, datasets.list, dashboard.counts and wallet.balance runs at 1 and 50 connections,
 * signed in with a session cookie as a browser is. Prints one JSON line at the end.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { ObjectId } from 'mongodb';
import { YjsStore } from '../collab/server/persistence';
import { createMongoClient, databaseNameFrom } from '../server/db/client';
import { freePort } from '../server/db/embedded';
import type { Person } from '../server/models/members';
import { BENCH_PASSWORD, benchDataset, cloneDataset, benchModel, benchUser, benchYjsUpdates, inParallel, shareWith } from './lib/api-bench-seed';
import { runLoad, type LoadResult } from './lib/http-load';
import { signInOverHttp } from './lib/http-sign-in';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, engine: { type: 'string', default: 'postgresql' } } });
if (flags.engine !== 'postgresql' && flags.engine !== 'sqlite') throw new Error('--engine is postgresql or sqlite');
const SECONDS = flags.quick ? 2 : 5;
const CONNECTIONS = [1, 50];
const log = (m: string) => console.error(`[bench:api] ${m}`);

// The full volume, and the small one the flat-cost comparison starts from.
const VOLUME = { users: 1000, models: 10_000, datasets: 2000, yjsUpdates: 50_000 };
const SMALL = { users: 10, models: 100, datasets: 20, yjsUpdates: 500 };

async function startApp(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--port', String(port), '--data-dir', dataDir, '--no-seed'], {
    cwd: root,
    env: { ...process.env, CYXWIZ_DB_BACKEND: flags.engine, SIGNIN_LIMIT_PER_IP: '1000/900', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const runtime = path.join(dataDir, 'runtime.json');
  const deadline = Date.now() + 300_000;
  while (!existsSync(runtime)) {
    if (child.exitCode !== null) throw new Error(`the app exited:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the app did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string; mongoUri: string };
  const engine = /database: embedded (.+?) at /.exec(output)?.[1] ?? 'unknown';
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { ...info, engine, stop, pid: child.pid! };
}

/** The app process's resident memory, MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

function trpcUrl(base: string, procedure: string, input?: unknown): string {
  return `${base}/api/trpc/${procedure}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`;
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-bench-api-'));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  log(`starting the app (${flags.engine})…`);
  const app = await startApp(dataDir, port);
  const client = createMongoClient(app.mongoUri);
  await client.connect();
  const db = client.db(databaseNameFrom(app.mongoUri));
  try {
    // The person whose view is measured, and the people sharing with them.
    const me = await benchUser(db, 0);
    const people: Person[] = [me];
    const modelIds: ObjectId[] = [];
    let datasetsMade = 0;
    let updatesMade = 0;
    const myDatasets: string[] = [];
    const sources: string[] = [];
    for (let i = 0; i < 10; i++) myDatasets.push(await benchDataset(db, me, datasetsMade++));
    let myModel: ObjectId | null = null;
    for (let i = 0; i < 10; i++) {
      const id = await benchModel(db, me, modelIds.length, myDatasets[i]);
      myModel ??= id;
      modelIds.push(id);
    }

    const grow = async (target: typeof VOLUME) => {
      const t0 = Date.now();
      const step = (what: string) => log(`  ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      await inParallel(people.length, target.users, 8, async (i) => void people.push(await benchUser(db, i)));
      step(`${people.length} users`);
      const others = people.slice(1);
      if (modelIds.length < 15) {
        // Five models of others shared with me: the same in both measurements.
        for (let i = 0; i < 5; i++) {
          const owner = others[i % others.length]!;
          const id = await benchModel(db, owner, modelIds.length);
          modelIds.push(id);
          await shareWith(db, id, owner, me);
        }
      }
      // A few real uploads, then copies of them owned by everyone else.
      while (sources.length < 5) sources.push(await benchDataset(db, others[sources.length % others.length]!, datasetsMade++));
      await inParallel(datasetsMade, target.datasets, 8, async (i) => {
        datasetsMade++;
        await cloneDataset(db, sources[i % sources.length]!, others[i % others.length]!, i);
      });
      step(`${datasetsMade} datasets`);
      await inParallel(modelIds.length, target.models, 8, async (i) => {
        const owner = others[i % others.length]!;
        const id = await benchModel(db, owner, i);
        modelIds.push(id);
        // Others share among themselves too: about one model in five has a collaborator.
        if (i % 5 === 0) await shareWith(db, id, owner, others[(i + 1) % others.length]!);
      });
      step(`${modelIds.length} models`);
      await benchYjsUpdates(db, modelIds.slice(15), target.yjsUpdates - updatesMade, updatesMade + 1);
      updatesMade = target.yjsUpdates;
      log(`seeded ${people.length} users, ${modelIds.length} models, ${datasetsMade} datasets, ${updatesMade} updates in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    };

    const cookie = await signInOverHttp(app.url, me.email, BENCH_PASSWORD);
    const headers = { cookie };
    const reads = {
      'models.list': trpcUrl(app.url, 'models.list', {}),
      'models.get': trpcUrl(app.url, 'models.get', { id: myModel!.toHexString() }),
      'datasets.list': trpcUrl(app.url, 'datasets.list', {}),
      'dashboard.counts': trpcUrl(app.url, 'dashboard.counts'),
      // The ledger's live view behind tRPC (issue 10's target: p99 < 20 ms).
      'wallet.balance': trpcUrl(app.url, 'wallet.balance'),
    };
    const measure = async (label: string) => {
      const results: Record<string, Record<string, LoadResult>> = {};
      for (const [name, url] of Object.entries(reads)) {
        results[name] = {};
        for (const connections of CONNECTIONS) {
          const r = await runLoad({ url, headers, connections, seconds: SECONDS, warmupSeconds: 1 });
          if (r.errors > 0) throw new Error(`${name} answered ${r.errors} of ${r.requests} requests with an error at ${connections} connections`);
          results[name][`c${connections}`] = r;
          log(`${label} ${name} c${connections}: ${r.rps} req/s, p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
        }
      }
      const store = new YjsStore(db);
      const t = performance.now();
      for (let i = 0; i < 20; i++) await store.load(myModel!.toHexString());
      return { reads: results, yjs_load_ms: Number(((performance.now() - t) / 20).toFixed(2)) };
    };

    await grow(SMALL);
    const small = await measure('100 models');
    await grow(VOLUME);
    const large = await measure('10,000 models');

    const ratios = Object.fromEntries(
      Object.keys(reads).map((name) => [name, Number((large.reads[name]!.c1!.p50_ms / small.reads[name]!.c1!.p50_ms).toFixed(2))]),
    );
    const worst = (key: 'p99_ms' | 'rps', conns: string, pick: (a: number, b: number) => number) =>
      Object.values(large.reads).map((r) => r[conns]![key]).reduce((a, b) => pick(a, b));
    const summary = {
      bench: 'api',
      engine: app.engine,
      quick: flags.quick,
      seconds_per_measurement: SECONDS,
      volume: VOLUME,
      at_100_models: small,
      at_10000_models: large,
      cost_ratio_10000_vs_100_p50_c1: ratios,
      app_rss_mb: rssMb(app.pid),
      targets: {
        p99_under_20ms_at_1_connection: worst('p99_ms', 'c1', Math.max) < 20,
        at_least_300_rps_at_50_connections: worst('rps', 'c50', Math.min) >= 300,
        flat_within_1_5x: Object.values(ratios).every((r) => r <= 1.5),
      },
      machine: `${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    };
    console.log(JSON.stringify(summary));
  } finally {
    await client.close();
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
