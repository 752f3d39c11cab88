import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cyx } from '../../programs';
import { createApiKey } from '../../server/auth/api-keys';
import { signUp, type PublicUser } from '../../server/auth/users';
import { getBlob } from '../../server/blobs/blob-store';
import { collections } from '../../server/db/collections';
import { jobCheckpointsCollection, jobEventsCollection, jobsCollection, type JobDoc } from '../../server/jobs/collections';
import type { CheckpointReport } from '../../server/jobs/runner-protocol';
import { startSchedulerLoop, type SchedulerLoop } from '../../server/jobs/scheduler-loop';
import { registerSchedulerPoke } from '../../server/jobs/scheduler-poke';
import { getLedger } from '../../server/ledger';
import { insertModel } from '../../server/models/lifecycle';
import { useTestDatabase } from '../../server/testing/test-db';
import { createContext } from '../../server/trpc/context';
import { createCaller } from '../../server/trpc/root';
import { platformClient } from '../api-client';
import { systemClock } from '../clock';
import { PlatformServer } from '../testing/platform-server';
import { provisionRunner, RunnerProcess } from '../testing/runner-process';
import { executeJob } from './job-executor';
import { platformJobApi, type JobApi } from './job-api';
import { maxAbsDifference, spiralsGraph, weightsOf } from './testing/job-fixtures';
import { createJobTrainer } from './trainer-factory';

/**
 * Network jobs end to end: the platform's real router and runner routes over HTTP on the real
 * database, the scheduler loop in this process, and REAL `cyxwiz-runner start` processes (logged
 * in and registered through the CLI as a provider does it) training on Dawn's SwiftShader adapter,
 * and one on the machine's default backend (auto → torch-cpu where .tools/torch is installed).
 *
 * Leases last 4 s here (CYXWIZ_JOB_LEASE_MS) and runners beat every second, so a killed runner's
 * lease expires within seconds; nothing else is shortened.
 */
const LEASE_MS = 4_000;
/** Each case starts runner processes and trains for real; this only guards against a hang. */
const CASE_TIMEOUT_MS = 90_000;
// Spirals as a job generates them (and the tab): 600 points, 480 for training after the 20% validation split; 15 full batches of 32 an epoch.
const EPOCHS = 6;
const STEPS_PER_EPOCH = 15;
const TOTAL_STEPS = EPOCHS * STEPS_PER_EPOCH;
// The dearest price a machine may ask, so the escrow is thousands of µCYX and every checkpoint's share is visible.
const PRICE_CYX = '1000000';
const INPUT = {
  datasetId: 'builtin:spirals',
  config: { epochs: EPOCHS, batchSize: 32, learningRate: 0.02, seed: 11 },
  requirements: { device: 'cpu' as const, minVramBytes: 0 },
  priceCapMicro: cyx(1_000_000).toString(),
};

let db: Db;
let platform: PlatformServer;
let scheduler: SchedulerLoop;
let modelId: string;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-network-job-'));
const started: RunnerProcess[] = [];

type MachineKey = 'a' | 'b' | 'torch' | 'liar';
interface Provider {
  user: PublicUser;
  configPath: string;
  machineId: string;
  credential: string;
}
let payer: PublicUser;
const providers = {} as Record<MachineKey, Provider>;

const ledger = () => getLedger(db);
const available = async (user: PublicUser) => (await (await ledger()).wallet(user.id)).available;
const ledgerState = async () => JSON.parse((await (await ledger()).encodedState()).text) as { balances: [string, string][]; escrows: { escrowId: string; status: string; deposit?: string; released: string; refunded: string }[]; nodes: { nodeId: string; stake: string }[] };
const platformFees = async () => BigInt((await ledgerState()).balances.find(([a]) => a === 'system:platform-fees')?.[1] ?? '0');
const stakeOf = async (m: MachineKey) => BigInt((await ledgerState()).nodes.find((n) => n.nodeId === providers[m].machineId)!.stake);
const asUser = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const jobOf = async (jobId: string) => (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;

/** Polls until `check` answers something truthy (a guard against a hung test, not a timing assertion). */
async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, withinMs = 60_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}.\n${started.map((r) => r.tail(10)).join('\n---\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startRunner(m: MachineKey, extra: string[] = []): RunnerProcess {
  const runner = new RunnerProcess(['start', '--interval', '1', ...extra], { configPath: providers[m].configPath, server: platform.url, label: m });
  started.push(runner);
  return runner;
}

/** The machine as its owner sees it on the website: offline once its heartbeats stopped (a few seconds here). */
async function untilOffline(m: MachineKey): Promise<void> {
  const owner = await asUser(providers[m].user);
  await until(`machine ${m} offline`, async () => (await owner.machines.get({ id: providers[m].machineId })).status === 'offline');
}

/** Quotes (the named machine must be online to match) and approves a job; answers its id and escrow. */
async function submitJob(): Promise<{ jobId: string; escrow: bigint }> {
  const api = await asUser(payer);
  const quote = await api.jobs.quote({ modelId, ...INPUT });
  const { jobId } = await api.jobs.submit({ modelId, ...INPUT, approvedMicro: quote.escrowMicro });
  return { jobId, escrow: BigInt((await jobOf(jobId)).escrowMicro) };
}

const settled = (jobId: string) => until(`job ${jobId} settled`, async () => {
  const job = await jobOf(jobId);
  return ['PAYMENT_RELEASED', 'REFUNDED', 'FAILED'].includes(job.status) ? job : null;
});

/** Each verified checkpoint of a job: its step, the machine, what it released; ordered by step. */
async function verifiedCheckpoints(jobId: string) {
  const docs = await jobCheckpointsCollection(db).find({ jobId: new ObjectId(jobId), verified: true }).toArray();
  return docs.sort((x, y) => x.step - y.step).map((d) => ({ step: d.step, machineId: d.machineId, released: BigInt(d.releasedMicro), sha256: d.sha256 }));
}

/** What each owner should have received from a job's releases: the amount less floor(amount/10), the fee to the platform. */
function expectedSplit(checkpoints: { machineId: string; released: bigint }[]): { byMachine: Map<string, bigint>; fees: bigint } {
  const byMachine = new Map<string, bigint>();
  let fees = 0n;
  for (const c of checkpoints) {
    const fee = c.released / 10n;
    fees += fee;
    byMachine.set(c.machineId, (byMachine.get(c.machineId) ?? 0n) + c.released - fee);
  }
  return { byMachine, fees };
}

async function finalWeights(job: JobDoc) {
  const bytes = await getBlob(db, job.lastCheckpoint!.sha256);
  return weightsOf(bytes!);
}

const eventTypes = async (jobId: string) => (await jobEventsCollection(db).find({ jobId: new ObjectId(jobId) }).sort({ version: 1 }).toArray()).map((e) => e.event.type);

beforeAll(async () => {
  vi.stubEnv('CYXWIZ_JOB_LEASE_MS', String(LEASE_MS));
  vi.stubEnv('CYXWIZ_HEARTBEAT_MIN_INTERVAL_MS', '500');
  vi.stubEnv('CYXWIZ_MACHINE_ONLINE_MS', '3000');
  ({ db } = await useTestDatabase('network_jobs'));
  const user = (name: string) => signUp(db, { email: `${name}@example.com`, username: name, password: `${name}-password-1` });
  payer = await user('payer');
  const owner = (await collections(db).users.findOne({ _id: new ObjectId(payer.id) }))!;
  modelId = (await insertModel(db, { owner, name: 'spirals', graph: spiralsGraph(), layout: {}, datasetId: 'builtin:spirals' })).toHexString();
  let mints = 0;
  const mint = async (to: PublicUser, amount: bigint) => (await ledger()).submit({ kind: 'mint', key: `network-job-test:${mints++}`, at: Date.now(), by: 'admin', to: to.id, amount, reason: 'test' });
  await mint(payer, cyx(100_000));

  platform = new PlatformServer(db, systemClock);
  await platform.start();
  scheduler = startSchedulerLoop(db, { intervalMs: 250, onError: (error) => console.error('scheduler pass failed:', error) });
  registerSchedulerPoke(() => void scheduler.poke().catch(() => undefined));

  const names: Record<MachineKey, string> = { a: 'bob', b: 'carol', torch: 'dave', liar: 'erin' };
  await Promise.all(
    (Object.keys(names) as MachineKey[]).map(async (m) => {
      const provider = await user(names[m]);
      await mint(provider, cyx(1_000));
      const { key } = await createApiKey(db, new ObjectId(provider.id), `${m} rig`, null);
      const configPath = path.join(dir, m, 'runner.json');
      // The torch machine keeps the default backend (auto); the others train on Dawn.
      const machine = await provisionRunner({ configPath, server: platform.url, apiKey: key, name: `${m} rig`, price: PRICE_CYX, label: m, ...(m === 'torch' ? {} : { backend: 'dawn' }) });
      providers[m] = { user: provider, configPath, ...machine };
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(started.map((r) => (r.running ? (r.kill('SIGKILL'), r.exited) : null)));
  registerSchedulerPoke(undefined);
  await scheduler?.stop();
  await platform?.stop();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('network jobs with real runner processes', () => {
  let runnerA: RunnerProcess;
  let runnerB: RunnerProcess;
  let uninterrupted: JobDoc;

  it('runs a job to completion on Dawn: 90% to the provider, 10% to the platform, the escrow closed, the run saved', async () => {
    runnerA = startRunner('a', ['--backend', 'dawn']);
    await runnerA.waitFor(/^Online:/);
    const [bobBefore, feesBefore, payerBefore] = [await available(providers.a.user), await platformFees(), await (await ledger()).wallet(payer.id)];
    const { jobId, escrow } = await submitJob();
    await runnerA.waitFor(new RegExp(`Job ${jobId}: completed at step ${TOTAL_STEPS}`));
    const job = await settled(jobId);
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), refundedMicro: '0', lastCheckpoint: { step: TOTAL_STEPS, machineId: providers.a.machineId } });
    expect(runnerA.lines.find((l) => l.includes(`Job ${jobId}: training on`))).toMatch(new RegExp(`training on dawn from step 0 of ${TOTAL_STEPS}`));

    const checkpoints = await verifiedCheckpoints(jobId);
    expect(checkpoints.map((c) => c.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => (i + 1) * STEPS_PER_EPOCH));
    expect(checkpoints.reduce((sum, c) => sum + c.released, 0n)).toBe(escrow);
    const split = expectedSplit(checkpoints);
    const [bobGot, feesGot] = [(await available(providers.a.user)) - bobBefore, (await platformFees()) - feesBefore];
    expect([bobGot, feesGot]).toEqual([split.byMachine.get(providers.a.machineId), split.fees]);
    expect(bobGot + feesGot).toBe(escrow);
    // 90/10 up to the floor of each release's fee.
    expect(Number(feesGot) / Number(escrow)).toBeCloseTo(0.1, 2);
    console.log(`completed job: escrow ${escrow} µCYX → provider ${bobGot}, platform ${feesGot} over ${checkpoints.length} checkpoints`);

    expect((await ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', released: escrow.toString(), refunded: '0' });
    const payerAfter = await (await ledger()).wallet(payer.id);
    expect([payerBefore.available - payerAfter.available, payerAfter.inEscrow]).toEqual([escrow, payerBefore.inEscrow]);
    const run = await (await asUser(payer)).runs.get({ id: job.resultRunId! });
    expect(run).toMatchObject({ status: 'completed', steps: TOTAL_STEPS, datasetId: 'builtin:spirals' });
    uninterrupted = job;
  }, CASE_TIMEOUT_MS);

  it('kill -9 after a verified checkpoint: the lease expires (10% slash), a second runner resumes and ends with the same weights; every step paid once', async () => {
    const { jobId, escrow } = await submitJob();
    const [bobBefore, carolBefore, feesBefore, stakeBefore] = [await available(providers.a.user), await available(providers.b.user), await platformFees(), await stakeOf('a')];
    await runnerA.waitFor(new RegExp(`Job ${jobId}: epoch 1/${EPOCHS} done .*checkpoint verified`));
    runnerA.kill('SIGKILL');
    expect((await runnerA.exited).signal).toBe('SIGKILL');
    const atKill = await jobOf(jobId);
    expect(atKill.status).toBe('RUNNING');
    expect(atKill.lastCheckpoint!.step).toBeGreaterThanOrEqual(STEPS_PER_EPOCH);
    expect(atKill.lastCheckpoint!.step).toBeLessThan(TOTAL_STEPS);

    runnerB = startRunner('b', ['--backend', 'dawn']);
    const job = await settled(jobId);
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), excludedMachines: [providers.a.machineId], lastCheckpoint: { step: TOTAL_STEPS, machineId: providers.b.machineId } });
    const events = await eventTypes(jobId);
    expect(events.filter((t) => t === 'lease_expired')).toHaveLength(1);
    expect(events.filter((t) => t === 'assign')).toHaveLength(2);
    const resumedAt = (await verifiedCheckpoints(jobId)).filter((c) => c.machineId === providers.a.machineId).at(-1)!.step;
    expect(runnerB.lines.find((l) => l.includes(`Job ${jobId}: training on`))).toContain(`from step ${resumedAt} of ${TOTAL_STEPS}`);
    expect(await stakeOf('a')).toBe(stakeBefore - stakeBefore / 10n);

    const checkpoints = await verifiedCheckpoints(jobId);
    expect(checkpoints.map((c) => c.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => (i + 1) * STEPS_PER_EPOCH));
    expect(checkpoints.reduce((sum, c) => sum + c.released, 0n)).toBe(escrow);
    for (const c of checkpoints) expect(c.machineId).toBe(c.step <= resumedAt ? providers.a.machineId : providers.b.machineId);
    const split = expectedSplit(checkpoints);
    const got = { a: (await available(providers.a.user)) - bobBefore, b: (await available(providers.b.user)) - carolBefore, fees: (await platformFees()) - feesBefore };
    expect(got).toEqual({ a: split.byMachine.get(providers.a.machineId), b: split.byMachine.get(providers.b.machineId), fees: split.fees });
    expect(got.a + got.b + got.fees).toBe(escrow);

    const difference = maxAbsDifference(await finalWeights(job), await finalWeights(uninterrupted));
    console.log(`kill -9 at step ${resumedAt}: A got ${got.a}, B got ${got.b}, fees ${got.fees} of ${escrow} µCYX; A's stake ${stakeBefore} → ${await stakeOf('a')}; max |Δweight| vs uninterrupted = ${difference}`);
    expect(difference).toBeLessThan(1e-6);
  }, CASE_TIMEOUT_MS);

  it('cancel mid-run refunds exactly the rest; the runner drops the job (JOB_NOT_HELD) and stays up', async () => {
    const { jobId, escrow } = await submitJob();
    await runnerB.waitFor(new RegExp(`Job ${jobId}: epoch 1/${EPOCHS} done .*checkpoint verified`));
    const before = await available(payer);
    const cancelled = await (await asUser(payer)).jobs.cancel({ id: jobId });
    const job = await settled(jobId);
    const paid = BigInt(job.paidMicro);
    expect(paid).toBeGreaterThan(0n);
    expect(paid).toBeLessThan(escrow);
    expect(cancelled).toMatchObject({ status: 'REFUNDED', refundedMicro: (escrow - paid).toString() });
    expect(job).toMatchObject({ status: 'REFUNDED', refundedMicro: (escrow - paid).toString() });
    expect((await available(payer)) - before).toBe(escrow - paid);
    expect((await verifiedCheckpoints(jobId)).reduce((sum, c) => sum + c.released, 0n)).toBe(paid);
    expect((await ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', released: paid.toString(), refunded: (escrow - paid).toString() });
    await runnerB.waitFor(new RegExp(`Job ${jobId}: stopped and its work dropped`));
    // Still up: it goes on heartbeating (and takes the next job below).
    const seen = (await (await asUser(providers.b.user)).machines.get({ id: providers.b.machineId })).lastSeenAt;
    await until('another heartbeat from B', async () => (await (await asUser(providers.b.user)).machines.get({ id: providers.b.machineId })).lastSeenAt !== seen);
    expect(runnerB.running).toBe(true);
  }, CASE_TIMEOUT_MS);

  it('SIGINT mid-job: the runner finishes its checkpoint, hands the job back (no slash) and exits 0; another runner completes it', async () => {
    const { jobId, escrow } = await submitJob();
    const stakeBefore = await stakeOf('b');
    const from = runnerB.lines.length;
    await runnerB.waitFor(new RegExp(`Job ${jobId}: epoch 1/${EPOCHS} done .*checkpoint verified`), { from });
    runnerB.kill('SIGINT');
    expect(await runnerB.exited).toEqual({ code: 0, signal: null });
    // It signed off before handing back: offline at once (not for the online window), so the job was
    // not leased straight back to a runner that was exiting (which would time out and be slashed).
    expect((await (await asUser(providers.b.user)).machines.get({ id: providers.b.machineId })).status).toBe('offline');
    const handedBack = runnerB.lines.find((l) => l.startsWith(`Job ${jobId}: handed back at step`))!;
    const step = Number(/at step (\d+)/.exec(handedBack)![1]);
    expect(step % STEPS_PER_EPOCH).toBe(0);
    const waiting = await jobOf(jobId);
    expect(waiting).toMatchObject({ lastCheckpoint: { step, machineId: providers.b.machineId }, excludedMachines: [] });

    runnerA = startRunner('a');
    const job = await settled(jobId);
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), lastCheckpoint: { step: TOTAL_STEPS, machineId: providers.a.machineId } });
    expect(await stakeOf('b')).toBe(stakeBefore);
    const events = await eventTypes(jobId);
    expect(events).toContain('hand_back');
    expect(events).not.toContain('lease_expired');
    // Leased twice in all: to B, then (after the hand-back) to A.
    expect(events.filter((t) => t === 'assign')).toHaveLength(2);
    expect(runnerA.lines.find((l) => l.includes(`Job ${jobId}: training on`))).toContain(`from step ${step} of ${TOTAL_STEPS}`);
    const checkpoints = await verifiedCheckpoints(jobId);
    expect(checkpoints.reduce((sum, c) => sum + c.released, 0n)).toBe(escrow);
    expect(new Set(checkpoints.map((c) => c.step)).size).toBe(checkpoints.length);
    const difference = maxAbsDifference(await finalWeights(job), await finalWeights(uninterrupted));
    console.log(`SIGINT: handed back at step ${step}; max |Δweight| vs uninterrupted = ${difference}`);
    expect(difference).toBeLessThan(1e-6);
  }, CASE_TIMEOUT_MS);

  it('a checkpoint with a false accuracy is slashed 25%, the job requeued from the last good checkpoint and finished by another runner', async () => {
    await runnerA.stop();
    await untilOffline('a');
    // The lying machine: a client holding the machine's credential, training for real, that overstates one checkpoint's accuracy.
    const liar = providers.liar;
    const client = platformClient(platform.url, liar.credential);
    const beat = () => client.runner.heartbeat.mutate({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } }).catch(() => null);
    await beat();
    const beating = setInterval(() => void beat(), 1_000);
    const trainer = await createJobTrainer('dawn');
    try {
      const stakeBefore = await stakeOf('liar');
      const { jobId, escrow } = await submitJob();
      const held = await until('the job leased to the lying machine', async () => (await beat())?.jobs?.find((j) => j.jobId === jobId));
      const honest = platformJobApi(platform.url, liar.credential, client);
      let uploads = 0;
      const lying: JobApi = {
        ...honest,
        uploadCheckpoint: (lease, bytes, sha256, report: CheckpointReport) =>
          honest.uploadCheckpoint(lease, bytes, sha256, ++uploads === 2 ? { ...report, valAccuracy: Math.min(1, (report.valAccuracy ?? 0) + 0.3) } : report),
      };
      expect(await executeJob(held, { api: lying, trainer })).toBe('lost');
      const requeued = await jobOf(jobId);
      expect(requeued).toMatchObject({ lastCheckpoint: { step: STEPS_PER_EPOCH, machineId: liar.machineId }, excludedMachines: [liar.machineId] });
      expect(['ESCROWED', 'ASSIGNED']).toContain(requeued.status);
      expect(await stakeOf('liar')).toBe(stakeBefore - stakeBefore / 4n);
      const rejected = await jobCheckpointsCollection(db).findOne({ jobId: new ObjectId(jobId), verified: false });
      expect(rejected).toMatchObject({ step: 2 * STEPS_PER_EPOCH, machineId: liar.machineId, releasedMicro: '0' });
      expect(rejected!.reason).toMatch(/accuracy/);

      const stakeOfB = await stakeOf('b');
      runnerB = startRunner('b');
      const job = await settled(jobId);
      expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), lastCheckpoint: { step: TOTAL_STEPS, machineId: providers.b.machineId } });
      expect(runnerB.lines.find((l) => l.includes(`Job ${jobId}: training on`))).toContain(`from step ${STEPS_PER_EPOCH} of ${TOTAL_STEPS}`);
      const checkpoints = await verifiedCheckpoints(jobId);
      expect(checkpoints.map((c) => [c.step, c.machineId === liar.machineId ? 'liar' : 'b'])).toEqual(Array.from({ length: EPOCHS }, (_, i) => [(i + 1) * STEPS_PER_EPOCH, i === 0 ? 'liar' : 'b']));
      expect(checkpoints.reduce((sum, c) => sum + c.released, 0n)).toBe(escrow);
      // B's honest checkpoint at step 30 is byte for byte the one the liar misreported (both trained on
      // Dawn from the same checkpoint): it was judged on B's own report, not answered with the liar's verdict.
      expect(checkpoints[1]!.sha256).toBe(rejected!.sha256);
      expect(await stakeOf('b')).toBe(stakeOfB);
    } finally {
      clearInterval(beating);
      await trainer.close();
    }
  }, CASE_TIMEOUT_MS);

  it('(issue 13) a runner on the default backend (auto → torch-cpu here) trains a network job end to end', async () => {
    await runnerB.stop();
    await untilOffline('b');
    const runner = startRunner('torch');
    await runner.waitFor(/^Online:/);
    expect(runner.lines).toContainEqual(expect.stringMatching(/^Backend: torch-cpu/));
    const { jobId, escrow } = await submitJob();
    await runner.waitFor(new RegExp(`Job ${jobId}: completed at step ${TOTAL_STEPS}`), { withinMs: 90_000 });
    const job = await settled(jobId);
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), lastCheckpoint: { step: TOTAL_STEPS, machineId: providers.torch.machineId } });
    expect(runner.lines.find((l) => l.includes(`Job ${jobId}: training on`))).toMatch(/training on torch-cpu from step 0/);
    expect((await verifiedCheckpoints(jobId)).map((c) => c.step)).toEqual(Array.from({ length: EPOCHS }, (_, i) => (i + 1) * STEPS_PER_EPOCH));
    const difference = maxAbsDifference(await finalWeights(job), await finalWeights(uninterrupted));
    console.log(`torch-cpu job vs the Dawn job: max |Δweight| = ${difference}`);
    expect(await runner.stop()).toEqual({ code: 0, signal: null });
  }, CASE_TIMEOUT_MS);
});
