/**
 * `npm run bench:ledger [-- --quick]`: the ledger executor (server/ledger/) on the embedded database,
 * as `npm start` runs it (durable, with its indexes): instructions per second from one submitter
 * awaiting each, and from 20 concurrent submitters; `wallet` read latency (p50/p99, the executor
 * call, idle and while 20 submitters write); then the log grown to 100,000 instructions and the
 * time `verify()` takes to replay it all, and to open an executor on it (snapshot + replay).
 * Prints one JSON line at the end.
 */
import { percentile } from './lib/bench-runs';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Instruction } from '../programs';
import { bootstrapDatabase } from '../server/db/bootstrap';
import { collections } from '../server/db/collections';
import { LedgerExecutor, MAX_BATCH, type SubmitResult } from '../server/ledger';
import { submitterWorkload, workloadUser } from '../server/ledger/testing/workload';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const SIZES = flags.quick
  ? { sequential: 300, concurrent: 2_000, reads: 500, verifyAt: 5_000 }
  : { sequential: 2_000, concurrent: 20_000, reads: 5_000, verifyAt: 100_000 };
const SUBMITTERS = 20;
const USERS = 1_000;
const log = (m: string) => console.error(`[bench:ledger] ${m}`);

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

let phase = 0;
/** `count` instructions spread over `submitters` loops, each awaiting its own before the next. */
async function submitAll(ledger: LedgerExecutor, submitters: number, count: number): Promise<{ results: SubmitResult[]; seconds: number }> {
  phase++;
  const steps = Math.ceil(count / submitters);
  const work: Instruction[][] = Array.from({ length: submitters }, (_, s) => submitterWorkload({ prefix: `p${phase}`, submitter: s, steps, users: USERS, seed: phase }));
  const started = performance.now();
  const results = (await Promise.all(work.map(async (list) => {
    const out: SubmitResult[] = [];
    for (const instruction of list) out.push(await ledger.submit(instruction));
    return out;
  }))).flat();
  return { results, seconds: (performance.now() - started) / 1000 };
}

function rate(run: { results: SubmitResult[]; seconds: number }) {
  const applied = run.results.filter((r) => r.seq !== null && !r.repeated).length;
  return { submitted: run.results.length, applied, perSecond: Math.round(run.results.length / run.seconds) };
}

async function readLatencies(ledger: LedgerExecutor, count: number, until?: () => boolean): Promise<{ p50: number; p99: number; reads: number }> {
  const ms: number[] = [];
  for (let i = 0; until ? !until() : i < count; i++) {
    const started = performance.now();
    await ledger.wallet(workloadUser((i * 7919) % USERS));
    ms.push(performance.now() - started);
    // Requests arrive as I/O: a read served from memory must not starve the writers' callbacks.
    await new Promise((resolve) => setImmediate(resolve));
  }
  ms.sort((a, b) => a - b);
  return { p50: round(percentile(ms, 50), 3), p99: round(percentile(ms, 99), 3), reads: ms.length };
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-bench-ledger-'));
  chmodSync(dataDir, 0o755);
  log('starting the embedded database…');
  const database = await bootstrapDatabase({ root, dataDir, uri: process.env.MONGODB_URI || undefined, log });
  try {
    const db = database.db;
    let ledger = await LedgerExecutor.open(db);

    log(`sequential: ${SIZES.sequential} instructions from one submitter`);
    const sequential = rate(await submitAll(ledger, 1, SIZES.sequential));
    log(`concurrent: ${SIZES.concurrent} instructions from ${SUBMITTERS} submitters`);
    const concurrent = rate(await submitAll(ledger, SUBMITTERS, SIZES.concurrent));

    log(`wallet reads: ${SIZES.reads} idle, then while ${SUBMITTERS} submitters write`);
    await new Promise((r) => setTimeout(r, 200)); // the lease lapses back to the database: reads probe the log, as in a process that does not write
    const walletIdle = await readLatencies(ledger, SIZES.reads);
    let writing = true;
    const writers = submitAll(ledger, SUBMITTERS, Math.min(SIZES.concurrent, 5_000)).finally(() => (writing = false));
    const walletUnderLoad = await readLatencies(ledger, 0, () => !writing);
    await writers;

    const fillTo = SIZES.verifyAt;
    const have = ledger.seq;
    log(`growing the log from ${have} to ${fillTo} instructions…`);
    let fill = { submitted: 0, applied: 0, perSecond: 0 };
    const fillStarted = performance.now();
    while (ledger.seq < fillTo) {
      const run = rate(await submitAll(ledger, SUBMITTERS, Math.min(20_000, Math.ceil((fillTo - ledger.seq) * 1.25))));
      fill = { submitted: fill.submitted + run.submitted, applied: fill.applied + run.applied, perSecond: 0 };
      log(`  ${ledger.seq} logged`);
    }
    fill.perSecond = Math.round(fill.submitted / ((performance.now() - fillStarted) / 1000));

    log('verify: replaying the whole log');
    const report = await ledger.verify();
    await ledger.close();
    const openStarted = performance.now();
    ledger = await LedgerExecutor.open(db);
    const openMs = Math.round(performance.now() - openStarted);
    await ledger.close();
    const snapshots = await db.collection('ledgerSnapshots.files').find({}).toArray();
    const newestSnapshot = snapshots.sort((a, b) => (b.metadata as { seq: number }).seq - (a.metadata as { seq: number }).seq)[0];

    const result = {
      bench: 'ledger',
      quick: flags.quick,
      engine: database.engine,
      batchMax: MAX_BATCH,
      sequential,
      concurrent: { submitters: SUBMITTERS, ...concurrent },
      walletMs: { idle: walletIdle, whileWriting: walletUnderLoad },
      fill,
      verify: {
        instructions: report.instructions,
        ms: report.ms,
        matchesLive: report.matchesLive,
        invariantsOk: report.invariants.every((i) => i.ok),
        supplyBalanced: report.supply.minted === report.supply.held,
      },
      open: { ms: openMs, fromSnapshotSeq: (newestSnapshot?.metadata as { seq: number } | undefined)?.seq ?? null, snapshotMB: round(((newestSnapshot?.length as number | undefined) ?? 0) / 2 ** 20) },
      logDocuments: await collections(db).ledgerLog.estimatedDocumentCount(),
      targets: { instructionsPerSecond: 2_000, walletP99Ms: 20 },
    };
    console.log(JSON.stringify(result));
  } finally {
    await database.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
