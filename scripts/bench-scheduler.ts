/**
 * `npm run bench:scheduler [-- --machines 1000 --gpus 4 --jobs 5000 --schedulers 1]`: the network-job
 * scheduler (server/jobs/scheduler-loop.ts) placing a backlog of paid jobs while the fleet heartbeats.
 *
 * The reading of the issue ("1,000 simulated machines heartbeating and 5,000 queued jobs"): a unit
 * holds one job, so the fleet has room for the whole backlog — 1,000 machines of --gpus GPUs and
 * their CPU, 5,000 units with --gpus 4 — and "jobs assigned per second" is the scheduler's own
 * dispatch rate, not how fast simulated runners finish jobs. With --gpus 0 (one CPU unit a
 * machine) the first pass fills the fleet and the rest wait: the JSON then says how many.
 *
 * 1. A throw-away embedded database behind the API server (heartbeat-bench-server.ts), machines
 *    registered through registerMachine, what machines.register calls (stakes through the ledger),
 *    prices and GPU sizes mixed, then a mix of reputations written onto them.
 * 2. --jobs jobs created (createJob) and approved through applyWithEffects: each approval locks a
 *    real ledger escrow from its owner's minted CYX (the quote is not what is measured).
 * 3. Heartbeats from every machine every --interval s over HTTP (heartbeat-bench-worker.ts), one
 *    round of warm-up, one measured round before scheduling starts (the baseline).
 * 4. --schedulers startSchedulerLoop loops in this process, each poked again as soon as its pass
 *    ends (what submits and freed units do in production) until the queue is empty or a pass of
 *    every loop places nothing; their 5 s timers are left out so every pass is one this script sees.
 *
 * Figures: jobs assigned per second (from the first poke to the end of the pass that placed the
 * last job), submit→assignment p50/p99 (a job's wait from max(queuedAt, scheduling start) to when
 * its batch's conditional write came back, Assignment.assignedAt: the whole backlog was queued
 * before scheduling began, so this is mostly its place in the queue), the
 * heartbeat p50/p99 of beats sent while scheduling (and before, for comparison), and the scheduler
 * process's own database commands while scheduling (scheduler_db_commands: per command and
 * collection, how many, the statements or documents they carried, the summed round trips), to say
 * where a pass's time goes, and `cpu`: every process's CPU during the heartbeats-only round and
 * while scheduling, a heartbeat's and an assignment's CPU cost across all of them, and the cores
 * the target would keep busy at those costs (cores_for_500_jobs_per_s) against cores_here.
 * A heartbeat renews every lease its machine holds in its one machine write (server/jobs/held-jobs.ts), so the 5,000 leases placed cost the beats no extra writes.
 * The machine is shared: `machine` gives the load average, which other work on it drives. Prints ONE JSON line.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId, type CommandStartedEvent, type CommandSucceededEvent, type Db } from 'mongodb';
import { cyx, MIN_STAKE } from '../programs/index';
import { signUp } from '../server/auth/users';
import { databaseNameFrom } from '../server/db/client';
import { freePort } from '../server/db/embedded';
import { jobsCollection, unitClaimsCollection } from '../server/jobs/collections';
import { createJob } from '../server/jobs/create-job';
import { applyWithEffects } from '../server/jobs/effects';
import { startSchedulerLoop } from '../server/jobs/scheduler-loop';
import { getLedger } from '../server/ledger/index';
import { machinesCollection } from '../server/machines/collections';
import { MAX_MACHINES_PER_OWNER, registerMachine } from '../server/machines/register';
import { inParallel } from './lib/api-bench-seed';
import { startBenchServer, startHeartbeatWorker, type HeartbeatWorkerResult } from './lib/bench-api-server';
import { CLOCK_TICKS, descendants, usage } from './lib/process-cpu';
import { percentile } from './lib/bench-runs';

const { values: flags } = parseArgs({
  options: {
    machines: { type: 'string', default: '1000' },
    gpus: { type: 'string', default: '4' },
    jobs: { type: 'string', default: '5000' },
    schedulers: { type: 'string', default: '1' },
    processes: { type: 'string', default: '4' },
    interval: { type: 'string', default: '10' },
  },
});
const MACHINES = Number(flags.machines);
const GPUS = Number(flags.gpus);
const JOBS = Number(flags.jobs);
const SCHEDULERS = Number(flags.schedulers);
const PROCESSES = Number(flags.processes);
const INTERVAL_MS = Number(flags.interval) * 1000;
const GiB = 2 ** 30;
/** µCYX each job's escrow locks: small, so its owners' mints cover thousands. */
const ESCROW_MICRO = 100_000n;
const JOB_OWNERS = 10;
/** Seeding calls in flight at once: the ledger executor batches what arrives together. */
const SEED_CONCURRENCY = 48;
const log = (m: string) => console.error(`[bench:scheduler] ${m}`);
const round = (n: number, digits = 2) => Number(n.toFixed(digits));
const GPU_SIZES = [24 * GiB, 48 * GiB, 80 * GiB];

function inventory(i: number) {
  const vram = GPU_SIZES[i % GPU_SIZES.length]!;
  return {
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    cpu: { model: 'Bench CPU', cores: 16, threads: 32 },
    ramBytes: 64 * GiB,
    webgpu: [],
    nvidia: Array.from({ length: GPUS }, (_, g) => ({ name: `NVIDIA bench ${vram / GiB} GB`, vramBytes: vram, driver: '535.104', cuda: `12.${g % 3}` })),
  };
}

/** 60% GPU jobs, 40% CPU jobs, asking for a spread of memory every unit of their kind has. */
function jobRequirements(i: number) {
  return i % 5 < 3 ? { device: 'gpu' as const, minVramBytes: [0, 8 * GiB, 16 * GiB][i % 3]! } : { device: 'cpu' as const, minVramBytes: [0, 4 * GiB, 16 * GiB][i % 3]! };
}

/**
 * Registers the fleet through the platform's own registerMachine (the stake through the ledger, the
 * machine and its units, a credential), many at once so the ledger batches the stakes: over HTTP one
 * at a time it took minutes for 1,000 machines. Heartbeats, which are what is measured, go over HTTP.
 */
async function registerFleet(db: Db): Promise<string[]> {
  const owners = Math.ceil(MACHINES / MAX_MACHINES_PER_OWNER);
  const ledger = await getLedger(db);
  const ownerIds = await Promise.all(
    Array.from({ length: owners }, async (_, i) => {
      const user = await signUp(db, { email: `provider${i}@bench.test`, username: `provider${i}`, password: 'bench-password-1' });
      const minted = await ledger.submit({ kind: 'mint', key: `bench-scheduler:provider:${i}`, at: Date.now(), by: 'bench', to: user.id, amount: MIN_STAKE * BigInt(MAX_MACHINES_PER_OWNER) + cyx(1), reason: 'bench stakes' });
      if (!minted.outcome.ok) throw new Error(`mint refused: ${minted.outcome.message}`);
      return new ObjectId(user.id);
    }),
  );
  const credentials = new Array<string>(MACHINES);
  const units = Array.from({ length: GPUS + 1 }, (_, u) => u);
  await inParallel(0, MACHINES, SEED_CONCURRENCY, async (i) => {
    const price = String(500_000 + ((i * 7919) % 1_500_000));
    const answer = await registerMachine(db, ownerIds[Math.floor(i / MAX_MACHINES_PER_OWNER)]!, { name: `bench-${i}`, pricePerHourMicro: price, inventory: inventory(i), offer: { unitIndexes: units } }, new Date());
    credentials[i] = answer.credential;
    // A spread of track records (what record_result would have written): 0 to 49 jobs, most of them succeeded.
    const jobs = (i * 31) % 50;
    await machinesCollection(db).updateOne({ _id: new ObjectId(answer.machineId) }, { $set: { jobs, jobsSucceeded: Math.floor(jobs * (0.6 + ((i * 17) % 40) / 100)) } });
  });
  return credentials;
}

async function queueJobs(db: Db): Promise<void> {
  const ledger = await getLedger(db);
  const owners: ObjectId[] = [];
  for (let i = 0; i < JOB_OWNERS; i++) {
    const user = await signUp(db, { email: `trainer${i}@bench.test`, username: `trainer${i}`, password: 'bench-password-1' });
    owners.push(new ObjectId(user.id));
    const minted = await ledger.submit({ kind: 'mint', key: `bench-scheduler:trainer:${i}`, at: Date.now(), by: 'bench', to: user.id, amount: ESCROW_MICRO * BigInt(Math.ceil(JOBS / JOB_OWNERS) + 1), reason: 'bench escrows' });
    if (!minted.outcome.ok) throw new Error(`mint refused: ${minted.outcome.message}`);
  }
  await inParallel(0, JOBS, SEED_CONCURRENCY, async (i) => {
    const now = new Date();
    const job = await createJob(db, { modelId: new ObjectId(), ownerId: owners[i % JOB_OWNERS]!, requirements: jobRequirements(i), priceCapMicro: '3000000', escrowMicro: ESCROW_MICRO.toString() }, now);
    const { job: after } = await applyWithEffects(db, job._id, { type: 'approve' }, now);
    if (after.status !== 'ESCROWED') throw new Error(`job ${i} is ${after.status} after its escrow: ${after.failureReason ?? ''}`);
  });
}

interface Placed {
  jobId: string;
  unitId: string;
  /** Date.now() when its batch's conditional write came back (Assignment.assignedAt). */
  at: number;
}

/** Runs the loops, each poked again as soon as its pass ends, until the queue is empty or a round of passes places nothing. */
async function schedule(db: Db) {
  const loops = Array.from({ length: SCHEDULERS }, () => startSchedulerLoop(db, { intervalMs: 24 * 3_600_000 }));
  const placed: Placed[] = [];
  const passes: { ms: number; assigned: number; waiting: number; lostRaces: number }[] = [];
  let idleRounds = 0;
  const startedAt = Date.now();
  /** When the last pass answered (its events are in by then): the rate is measured to here, as before assignedAt existed. */
  let endedAt = startedAt;
  try {
    await Promise.all(
      loops.map(async (loop) => {
        while (placed.length < JOBS && idleRounds < SCHEDULERS) {
          const t0 = performance.now();
          const pass = await loop.poke();
          endedAt = Date.now();
          for (const a of pass.scheduled.assigned) placed.push({ jobId: a.jobId, unitId: a.unitId, at: a.assignedAt });
          passes.push({ ms: Math.round(performance.now() - t0), assigned: pass.scheduled.assigned.length, waiting: pass.scheduled.waiting.length, lostRaces: pass.scheduled.lostRaces });
          idleRounds = pass.scheduled.assigned.length === 0 && pass.scheduled.lostRaces === 0 ? idleRounds + 1 : 0;
        }
      }),
    );
  } finally {
    await Promise.all(loops.map((l) => l.stop()));
  }
  return { placed, passes, startedAt, endedAt };
}

/**
 * The scheduler process's database commands while scheduling (the driver's command monitoring):
 * per command and collection, how many, how many statements or documents they carried, and their
 * summed and mean round-trip time (concurrent commands overlap, so the sums can exceed the wall time).
 */
function commandTimings(client: MongoClient) {
  const started = new Map<number, { key: string; items: number }>();
  const totals = new Map<string, { commands: number; items: number; ms: number }>();
  let on = false;
  client.on('commandStarted', (e: CommandStartedEvent) => {
    if (!on) return;
    const c = e.command as Record<string, unknown>;
    const collection = typeof c[e.commandName] === 'string' ? (c[e.commandName] as string) : '';
    const list = (c.updates ?? c.documents ?? c.deletes) as unknown[] | undefined;
    started.set(e.requestId, { key: `${e.commandName} ${collection}`.trim(), items: Array.isArray(list) ? list.length : 1 });
  });
  client.on('commandSucceeded', (e: CommandSucceededEvent) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    const t = totals.get(s.key) ?? { commands: 0, items: 0, ms: 0 };
    t.commands++;
    t.items += s.items;
    t.ms += e.duration;
    totals.set(s.key, t);
  });
  return {
    start: () => void (on = true),
    stop: () => void (on = false),
    figures: () =>
      Object.fromEntries(
        [...totals].sort((a, b) => b[1].ms - a[1].ms).map(([key, t]) => [key, { commands: t.commands, items: t.items, total_ms: Math.round(t.ms), ms_per_item: round(t.ms / t.items, 2) }]),
      ),
  };
}

type RoleCpu = { at: number; ticks: Record<string, Map<number, number>> };

/** Each role's processes' CPU ticks; the roles are asked again each time (PostgreSQL forks a process per new connection). */
function cpuByRole(roles: () => Record<string, number[]>): RoleCpu {
  return { at: performance.now(), ticks: Object.fromEntries(Object.entries(roles()).map(([role, pids]) => [role, new Map(pids.map((pid) => [pid, usage([pid]).ticks]))])) };
}

/**
 * Where the machine's CPU went: the baseline round (heartbeats only) gives a heartbeat's cost
 * across every process it touches; the scheduling window, less the heartbeats' share of it at that
 * cost, gives an assignment's. From the two, the cores the target (500 jobs/s with this fleet's
 * heartbeats) would keep busy at these costs, against the cores this machine has.
 */
function cpuFigures(baseline: RoleCpu, start: RoleCpu, end: RoleCpu, baselineBeats: number, assigned: number, beatsPerSecond: number) {
  // A process that appeared since counts from zero.
  const seconds = (a: RoleCpu, b: RoleCpu, role: string) => [...b.ticks[role]!].reduce((n, [pid, t]) => n + t - (a.ticks[role]!.get(pid) ?? 0), 0) / CLOCK_TICKS;
  const roles = Object.keys(start.ticks);
  const spent = (a: RoleCpu, b: RoleCpu) => Object.fromEntries(roles.map((r) => [`${r}_s`, round(seconds(a, b, r), 2)]));
  const total = (a: RoleCpu, b: RoleCpu) => roles.reduce((n, r) => n + seconds(a, b, r), 0);
  const baselineS = (start.at - baseline.at) / 1000;
  const schedulingS = (end.at - start.at) / 1000;
  const heartbeatCpuMs = baselineBeats > 0 ? (total(baseline, start) * 1000) / baselineBeats : NaN;
  const assignCpuMs = assigned > 0 ? ((total(start, end) - (heartbeatCpuMs / 1000) * beatsPerSecond * schedulingS) * 1000) / assigned : NaN;
  const coresForTarget = (heartbeatCpuMs * beatsPerSecond + assignCpuMs * 500) / 1000;
  return {
    measured_with: 'user + system CPU of each process from /proc: scheduler (this process), api (the HTTP server), database (FerretDB and PostgreSQL), load (the heartbeat senders)',
    heartbeats_only: { seconds: round(baselineS, 1), ...spent(baseline, start), cores_busy: round(total(baseline, start) / baselineS, 2) },
    scheduling: { seconds: round(schedulingS, 1), ...spent(start, end), cores_busy: round(total(start, end) / schedulingS, 2) },
    heartbeat_cpu_ms_each: round(heartbeatCpuMs, 2),
    assignment_cpu_ms_each: round(assignCpuMs, 2),
    cores_for_500_jobs_per_s: round(coresForTarget, 2),
    cores_here: os.cpus().length,
  };
}

function heartbeatFigures(results: HeartbeatWorkerResult[], from: number, to: number) {
  const ms: number[] = [];
  for (const r of results) r.latenciesMs.forEach((l, i) => r.sentAtMs[i]! >= from && r.sentAtMs[i]! <= to && ms.push(l));
  ms.sort((a, b) => a - b);
  return { heartbeats: ms.length, p50_ms: round(percentile(ms, 50)), p99_ms: round(percentile(ms, 99)), max_ms: round(ms.at(-1) ?? NaN) };
}

/**
 * No simulated runner trains or renews what it is given, so with the usual 30 s lease every job
 * placed more than 30 s before the end would expire, be slashed and be placed again, and the bench
 * would count re-placements (at full size on a loaded machine it did). The leases outlast the bench.
 */
const BENCH_LEASE_MS = 6 * 3_600_000;

async function main() {
  process.env.CYXWIZ_JOB_LEASE_MS = String(BENCH_LEASE_MS);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-bench-scheduler-'));
  chmodSync(dataDir, 0o755);
  log('starting the API server and its embedded database…');
  const server = await startBenchServer(dataDir, await freePort());
  const client = new MongoClient(server.mongoUri, { serverSelectionTimeoutMS: 5_000, appName: 'cyxwiz-bench-scheduler', monitorCommands: true });
  const timings = commandTimings(client);
  await client.connect();
  const db = client.db(databaseNameFrom(server.mongoUri));
  const workers: ReturnType<typeof startHeartbeatWorker>[] = [];
  try {
    log(`registering ${MACHINES} machines of ${GPUS} GPUs and a CPU (registerMachine, stakes through the ledger)…`);
    let t = performance.now();
    const credentials = await registerFleet(db);
    const registerS = (performance.now() - t) / 1000;

    log(`queueing ${JOBS} jobs, each with its ledger escrow…`);
    t = performance.now();
    await queueJobs(db);
    const queueS = (performance.now() - t) / 1000;

    log(`heartbeating every ${INTERVAL_MS / 1000} s from ${PROCESSES} processes: a warm-up round, then a baseline round…`);
    const startAt = Date.now() + 2_000;
    const shares = Array.from({ length: PROCESSES }, (_, p) => credentials.filter((_, i) => i % PROCESSES === p));
    for (const [p, share] of shares.entries()) {
      workers.push(startHeartbeatWorker({ url: server.url, credentials: share, intervalMs: INTERVAL_MS, seconds: 3_600, startAt, phaseMs: (p / PROCESSES) * (INTERVAL_MS / Math.max(1, share.length)) }));
    }
    // The baseline round's CPU: heartbeats alone, nothing scheduling.
    await new Promise((r) => setTimeout(r, startAt + INTERVAL_MS - Date.now()));
    const roles = () => ({ scheduler: [process.pid], api: [server.pid], database: descendants(server.pid), load: workers.map((w) => w.pid) });
    const cpuAtBaseline = cpuByRole(roles);
    await new Promise((r) => setTimeout(r, startAt + 2 * INTERVAL_MS - Date.now()));

    log(`scheduling with ${SCHEDULERS} scheduler loop(s)…`);
    const loadBefore = os.loadavg()[0]!;
    const cpuAtStart = cpuByRole(roles);
    timings.start();
    const { placed, passes, startedAt, endedAt } = await schedule(db);
    timings.stop();
    const cpuAtEnd = cpuByRole(roles);
    const loadAfter = os.loadavg()[0]!;
    for (const w of workers) w.stop();
    const beats = await Promise.all(workers.map((w) => w.result));

    // The invariants, from the database: no job twice, no unit twice, every placed job leased on its unit.
    const leased = await jobsCollection(db).find({ status: 'ASSIGNED' }, { projection: { lease: 1, queuedAt: 1 } }).toArray();
    const claims = await unitClaimsCollection(db).countDocuments({});
    const uniqueJobs = new Set(placed.map((p) => p.jobId)).size;
    const uniqueUnits = new Set(leased.map((j) => j.lease!.unitId)).size;
    if (uniqueJobs !== placed.length || leased.length !== placed.length || uniqueUnits !== leased.length || claims !== leased.length) {
      throw new Error(`invariants broken: ${placed.length} placements of ${uniqueJobs} jobs, ${leased.length} leased on ${uniqueUnits} units, ${claims} claims`);
    }
    const queuedAt = new Map(leased.map((j) => [j._id.toHexString(), j.queuedAt!.getTime()]));
    const waits = placed.map((p) => p.at - Math.max(queuedAt.get(p.jobId)!, startedAt)).sort((a, b) => a - b);
    const seconds = (endedAt - startedAt) / 1000;
    const perSecond = placed.length / seconds;
    const during = heartbeatFigures(beats, startedAt, endedAt);
    const before = heartbeatFigures(beats, startAt + INTERVAL_MS, startedAt);
    const cpu = cpuFigures(cpuAtBaseline, cpuAtStart, cpuAtEnd, before.heartbeats, placed.length, during.heartbeats / Math.max(seconds, 1e-3));
    const summary = {
      bench: 'scheduler',
      engine: server.engine,
      reading: `${MACHINES} machines × ${GPUS + 1} units (${GPUS} GPUs + CPU) = ${MACHINES * (GPUS + 1)} units for ${JOBS} queued jobs: one unit holds one job, so the fleet has room for the backlog and the rate is the scheduler's own; no job completions simulated`,
      machines: MACHINES,
      units: MACHINES * (GPUS + 1),
      jobs: JOBS,
      schedulers: `${SCHEDULERS} startSchedulerLoop loop(s) in one process, each poked again as its pass ends (timer off)`,
      register_s: round(registerS, 1),
      queue_s: round(queueS, 1),
      escrows: 'real ledger escrows (applyWithEffects approve -> create_escrow -> escrow_locked)',
      jobs_assigned: placed.length,
      jobs_left_waiting: JOBS - placed.length,
      scheduling_s: round(seconds, 2),
      jobs_assigned_per_s: round(perSecond, 1),
      submit_to_assign_p50_ms: round(percentile(waits, 50), 0),
      submit_to_assign_p99_ms: round(percentile(waits, 99), 0),
      submit_to_assign_measured_from: "max(queuedAt, scheduling start) to when the job's batch write came back",
      passes: passes.length,
      pass_ms: passes.map((p) => p.ms),
      assigned_per_pass: passes.map((p) => p.assigned),
      lost_races: passes.reduce((n, p) => n + p.lostRaces, 0),
      scheduler_db_commands: timings.figures(),
      heartbeats_during: during,
      heartbeats_before: before,
      cpu,
      heartbeat_interval_s: INTERVAL_MS / 1000,
      lease_ms: BENCH_LEASE_MS,
      target: { jobs_per_s: 500, heartbeat_p99_ms: 20 },
      target_jobs_per_s_met: perSecond >= 500,
      target_heartbeat_p99_met: during.p99_ms < 20,
      machine: `${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before scheduling, ${loadAfter.toFixed(1)} after (1 min); now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    };
    console.log(JSON.stringify(summary));
  } finally {
    for (const w of workers) w.stop();
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
