import { ObjectId, type Db } from 'mongodb';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { batches } from '../../compute/data/batch';
import { saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { mlpClassifier } from '../../compute/graph';
import { CpuTrainer } from '../../compute/model/trainer';
import { prepareJobData } from '../../compute/train/job-data';
import { parseTrainConfig } from '../../compute/train/train-config';
import { PlatformServer } from '../../node-runner/testing/platform-server';
import { systemClock } from '../../node-runner/clock';
import { cyx, MIN_STAKE } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { hasBlob } from '../blobs/blob-store';
import { collections } from '../db/collections';
import { sha256Hex } from '../datasets/blob-store';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { getLedger } from '../ledger';
import { machinesCollection } from '../machines/collections';
import { newMachineCredential } from '../machines/credential';
import { insertModel } from '../models/lifecycle';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { jobEventsCollection, jobsCollection, jobSpecsCollection } from './collections';
import { applyJobEvent } from './apply-job-event';
import { expireLeases } from './expire-leases';
import type { FrozenJobSpec } from './job-spec';
import type { CheckpointAnswer, JobSpec } from './runner-protocol';
import { scheduleOnce } from './schedule-once';
import { insertMachine } from './testing/fixtures';

let db: Db;
let alice: PublicUser; // owns the model, pays
let bob: PublicUser; // provides machine A
let carol: PublicUser; // provides machine B
let modelId: string;
const machines: Record<'a' | 'b', { id: string; credential: string }> = { a: { id: '', credential: '' }, b: { id: '', credential: '' } };
const platform = () => server;
let server: PlatformServer;

const PRICE = '1000000000000';
const INPUT = { datasetId: 'builtin:iris', config: { epochs: 2, batchSize: 16, learningRate: 0.05, seed: 3 }, requirements: { device: 'gpu' as const, minVramBytes: 0 }, priceCapMicro: PRICE };
// Iris: 150 rows, 20% validation → 120 training rows; floor(120 / 16) = 7 steps an epoch, 14 in all.
const TOTAL_STEPS = 14;

const ledger = () => getLedger(db);
const available = async (user: PublicUser) => (await (await ledger()).wallet(user.id)).available;
const ledgerState = async () => JSON.parse((await (await ledger()).encodedState()).text) as { balances: [string, string][]; escrows: { escrowId: string; status: string; released: string; refunded: string }[]; nodes: { nodeId: string; stake: string }[] };
const platformFees = async () => BigInt((await ledgerState()).balances.find(([a]) => a === 'system:platform-fees')?.[1] ?? '0');
const stakeOf = async (machineId: string) => BigInt((await ledgerState()).nodes.find((n) => n.nodeId === machineId)!.stake);
let mints = 0;
const mint = async (user: PublicUser, amount: bigint) => (await ledger()).submit({ kind: 'mint', key: `runner-test-mint:${mints++}`, at: Date.now(), by: 'admin', to: user.id, amount, reason: 'test' });
const asUser = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const asMachine = async (m: 'a' | 'b', at?: Date) => createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${machines[m].credential}` }), sessionUserId: null, ...(at ? { now: () => at } : {}) }));

async function addMachine(owner: PublicUser, key: 'a' | 'b'): Promise<void> {
  const { machineId } = await insertMachine(db, new Date(), { pricePerHourMicro: PRICE });
  const { credential, hash } = newMachineCredential();
  await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(owner.id), credentialHash: hash } });
  await mint(owner, MIN_STAKE);
  const staked = await (await ledger()).submit({ kind: 'register_node', key: `runner-test-register:${machineId}`, at: Date.now(), nodeId: machineId, owner: owner.id, stake: MIN_STAKE });
  expect(staked.seq).not.toBeNull();
  machines[key] = { id: machineId, credential };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_runner'));
  const user = (name: string) => signUp(db, { email: `${name}@example.com`, username: name, password: `${name}-password-1` });
  alice = await user('alice');
  bob = await user('bob');
  carol = await user('carol');
  const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
  modelId = (await insertModel(db, { owner, name: 'iris mlp', graph: mlpClassifier(4, [8], 3), layout: {}, datasetId: 'builtin:iris' })).toHexString();
  await mint(alice, cyx(1));
  await addMachine(bob, 'a');
  await addMachine(carol, 'b');
  server = new PlatformServer(db, systemClock);
  await server.start();
});

afterAll(async () => {
  await server?.stop();
});

/** Submits a job and leases it to `machine` (the other machine is made to look offline for the pass). */
async function leasedJob(machine: 'a' | 'b'): Promise<{ jobId: string; epoch: number }> {
  const api = await asUser(alice);
  const quote = await api.jobs.quote({ modelId, ...INPUT });
  const { jobId } = await api.jobs.submit({ modelId, ...INPUT, approvedMicro: quote.escrowMicro });
  const now = new Date();
  const other = machine === 'a' ? machines.b.id : machines.a.id;
  await machinesCollection(db).updateMany({}, { $set: { lastSeenAt: now } });
  await machinesCollection(db).updateOne({ _id: new ObjectId(other) }, { $set: { lastSeenAt: new Date(0) } });
  const { assigned } = await scheduleOnce(db, now);
  const mine = assigned.find((a) => a.jobId === jobId);
  expect(mine?.machineId).toBe(machines[machine].id);
  return { jobId, epoch: mine!.epoch };
}

/** A client training the job for real on compute/model's CPU trainer, scoring its own checkpoints. */
class CpuRunner {
  readonly trainer: CpuTrainer;
  private readonly data;
  constructor(readonly spec: JobSpec) {
    const source = spec.data.source;
    const bytes = source.kind === 'csv' ? builtinCsv(findBuiltin('builtin:iris') as Extract<ReturnType<typeof findBuiltin>, { source: 'file' }>) : null;
    this.data = prepareJobData(spec.data, bytes);
    const config = parseTrainConfig(spec.train);
    this.trainer = new CpuTrainer(spec.graph, { optimizer: config.optimizer, seed: config.seed });
  }

  /** One epoch of full batches, then its checkpoint and honest scores. */
  epoch(epochIndex: number): { bytes: Uint8Array; sha256: string; report: { step: number; epochIndex: number; trainLoss: number; valLoss: number; valAccuracy: number | null } } {
    let last = 0;
    for (const batch of batches(this.data.train, this.spec.train.batchSize!, { dropLast: true })) last = this.trainer.trainStep(batch).loss;
    const bytes = saveCheckpoint({ params: this.trainer.params, optimizer: this.trainer.optimizer }, this.spec.checkpointMetadata);
    const scores = this.trainer.evaluate(this.data.validation);
    return { bytes, sha256: sha256Hex(bytes), report: { step: this.trainer.optimizer.step, epochIndex, trainLoss: last, valLoss: scores.loss, valAccuracy: scores.accuracy ?? null } };
  }
}

async function upload(m: 'a' | 'b', jobId: string, epoch: number, bytes: Uint8Array, headers: Record<string, string>): Promise<{ status: number; body: CheckpointAnswer & { code?: string } }> {
  const res = await fetch(`${platform().url}/api/runner/jobs/${jobId}/checkpoints?epoch=${epoch}`, { method: 'PUT', body: new Blob([bytes as Uint8Array<ArrayBuffer>]), headers: { authorization: `Bearer ${machines[m].credential}`, ...headers } });
  return { status: res.status, body: (await res.json()) as CheckpointAnswer & { code?: string } };
}

const put = (m: 'a' | 'b', jobId: string, epoch: number, c: { bytes: Uint8Array; sha256: string; report: object }) => upload(m, jobId, epoch, c.bytes, { 'x-cyxwiz-sha256': c.sha256, 'x-cyxwiz-report': JSON.stringify(c.report) });

describe('submit freezes the spec', () => {
  it('stores the graph, the full config, the data and the exact step count before money moves', async () => {
    const { jobId } = await leasedJob('a');
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job.totalSteps).toBe(TOTAL_STEPS);
    const spec = JSON.parse((await jobSpecsCollection(db).findOne({ _id: jobId }))!.specJson) as FrozenJobSpec;
    expect(spec.train).toMatchObject({ epochs: 2, batchSize: 16, seed: 3, optimizer: { type: 'adam', lr: 0.05 }, validationFraction: 0.2, testFraction: 0 });
    expect(spec.data).toMatchObject({ source: { kind: 'csv', label: 'Iris', sha256: sha256Hex(builtinCsv(findBuiltin('builtin:iris') as never)), labelColumn: 4 }, validationFraction: 0.2, testFraction: 0, seed: 3, preprocessing: 'standardize' });
    expect(JSON.parse(spec.checkpointMetadata['class_names']!)).toHaveLength(3);
    await (await asUser(alice)).jobs.cancel({ id: jobId });
  });

  it('refuses a batch larger than the training rows before any money moves', async () => {
    const before = await available(alice);
    const api = await asUser(alice);
    await expect(api.jobs.submit({ modelId, ...INPUT, config: { ...INPUT.config, batchSize: 500 }, approvedMicro: '1000000' })).rejects.toMatchObject({ cause: { code: 'BATCH_LARGER_THAN_DATA', field: 'config.batchSize' } });
    expect(await available(alice)).toBe(before);
  });
});

describe('heartbeats', () => {
  it('answer the held leases and renew them without a transition; an expiry judged before a renewal loses', async () => {
    const { jobId, epoch } = await leasedJob('a');
    const before = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    const events = await jobEventsCollection(db).countDocuments({ jobId: before._id });
    await machinesCollection(db).updateOne({ _id: new ObjectId(machines.a.id) }, { $set: { nextHeartbeatAt: new Date(0) } });
    const answer = await (await asMachine('a', new Date(Date.now() + 5_000))).runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } });
    expect(answer.jobs).toEqual([{ jobId, epoch, unitId: before.lease!.unitId, status: 'ASSIGNED' }]);
    const after = (await jobsCollection(db).findOne({ _id: before._id }))!;
    expect(after.version).toBe(before.version);
    expect(after.leaseExpiresAt!.getTime()).toBeGreaterThan(before.leaseExpiresAt!.getTime());
    expect(after.lease!.expiresAt).toBe(after.leaseExpiresAt!.getTime());
    expect(await jobEventsCollection(db).countDocuments({ jobId: before._id })).toBe(events);
    // An expiry that judged the job's first lease expired (at its old expiry) loses to the renewal that landed since.
    const judgedAt = before.leaseExpiresAt!;
    await expect(applyJobEvent(db, jobId, { type: 'lease_expired', epoch }, judgedAt, { expectedVersion: before.version, leaseExpiredBy: judgedAt })).rejects.toMatchObject({ code: 'JOB_CHANGED' });
    expect(await expireLeases(db, judgedAt)).toEqual([]);
    expect((await jobsCollection(db).findOne({ _id: before._id }))!.status).toBe('ASSIGNED');
    // Machine B holds nothing.
    await machinesCollection(db).updateOne({ _id: new ObjectId(machines.b.id) }, { $set: { nextHeartbeatAt: new Date(0) } });
    expect((await (await asMachine('b')).runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } })).jobs).toEqual([]);
    await (await asUser(alice)).jobs.cancel({ id: jobId });
  });
});

describe('executing a job', () => {
  it('verifies honest checkpoints and pays each share with the 90/10 split, pays a repeat once, completes with the rest and a saved run', async () => {
    const { jobId, epoch } = await leasedJob('a');
    const runner = await asMachine('a');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    expect(spec).toMatchObject({ jobId, epoch, totalSteps: TOTAL_STEPS, startCheckpoint: null });
    await expect((await asMachine('b')).runner.jobSpec({ jobId, epoch })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'JOB_NOT_HELD' } });
    await expect(runner.runner.jobSpec({ jobId, epoch: epoch + 1 })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'STALE_LEASE_EPOCH' } });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 0, epochIndex: 0, loss: null, accuracy: null, samplesPerSecond: null, etaSeconds: null })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_STARTED' } });
    await runner.runner.jobStart({ jobId, epoch });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 3, epochIndex: 0, loss: 1.1, accuracy: 0.4, samplesPerSecond: 100, etaSeconds: 2 })).resolves.toEqual({ keepGoing: true });
    expect((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.progress).toMatchObject({ step: 3, totalSteps: TOTAL_STEPS, machineId: machines.a.id });

    // The dataset downloads with the lease, and nothing else does.
    const blob = (sha: string, m: 'a' | 'b' = 'a', e = epoch) => fetch(`${platform().url}/api/runner/blobs/${sha}?job=${jobId}&epoch=${e}`, { headers: { authorization: `Bearer ${machines[m].credential}` } });
    const csv = builtinCsv(findBuiltin('builtin:iris') as never);
    const got = await blob(sha256Hex(csv));
    expect(got.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await got.arrayBuffer()))).toBe(sha256Hex(csv));
    expect((await blob('0'.repeat(64))).status).toBe(404);
    expect(await (await blob(sha256Hex(csv), 'b')).json()).toMatchObject({ code: 'JOB_NOT_HELD' });
    expect((await blob(sha256Hex(csv), 'a', epoch + 1)).status).toBe(409);
    expect((await fetch(`${platform().url}/api/runner/blobs/${sha256Hex(csv)}?job=${jobId}&epoch=${epoch}`)).status).toBe(401);

    const trainer = new CpuRunner(spec);
    const first = trainer.epoch(0);
    // A body that is not what its hash says: refused, nothing stored or paid.
    const wrong = await upload('a', jobId, epoch, first.bytes, { 'x-cyxwiz-sha256': '1'.repeat(64), 'x-cyxwiz-report': JSON.stringify(first.report) });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'BLOB_HASH_MISMATCH']);
    expect(await hasBlob(db, '1'.repeat(64))).toBe(false);

    const escrow = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.escrowMicro);
    const [bobBefore, feesBefore] = [await available(bob), await platformFees()];
    const verified = await put('a', jobId, epoch, first);
    expect(verified.status).toBe(200);
    expect(escrow).toBeGreaterThanOrEqual(100n);
    const share = (escrow * 7n) / 14n;
    expect(verified.body).toMatchObject({ verified: true, step: 7, reason: null, releasedMicro: share.toString(), platform: { rows: 30 } });
    expect(Math.abs(verified.body.platform.valLoss! - first.report.valLoss)).toBeLessThan(1e-3);
    const fee = share / 10n;
    expect([await available(bob) - bobBefore, await platformFees() - feesBefore]).toEqual([share - fee, fee]);
    expect((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!).toMatchObject({ paidMicro: share.toString(), lastCheckpoint: { sha256: first.sha256, step: 7 } });
    // The same upload again: the same answer, paid once.
    expect((await put('a', jobId, epoch, first)).body).toMatchObject({ verified: true, releasedMicro: share.toString() });
    expect(await available(bob) - bobBefore).toBe(share - fee);
    // The checkpoint now downloads too (a resumed run starts from it).
    expect((await blob(first.sha256)).status).toBe(200);

    const second = trainer.epoch(1);
    await expect(runner.runner.jobComplete({ jobId, epoch, sha256: first.sha256 })).rejects.toMatchObject({ cause: { code: 'CHECKPOINT_NOT_FINAL' } });
    expect((await put('a', jobId, epoch, second)).body).toMatchObject({ verified: true, step: 14 });
    const done = await runner.runner.jobComplete({ jobId, epoch, sha256: second.sha256 });
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), refundedMicro: '0', resultRunId: done.resultRunId });
    expect((await ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', released: escrow.toString() });
    const run = await (await asUser(alice)).runs.get({ id: done.resultRunId });
    expect(run).toMatchObject({ status: 'completed', steps: TOTAL_STEPS, datasetId: 'builtin:iris' });
  });

  it('slashes a checkpoint whose accuracy is false, requeues the job from the last good one and excludes the machine', async () => {
    const { jobId, epoch } = await leasedJob('b');
    const runner = await asMachine('b');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    await runner.runner.jobStart({ jobId, epoch });
    const stakeBefore = await stakeOf(machines.b.id);
    const checkpoint = new CpuRunner(spec).epoch(0);
    const lie = { ...checkpoint, report: { ...checkpoint.report, valAccuracy: Math.min(1, (checkpoint.report.valAccuracy ?? 0) + 0.3) } };
    const { body } = await put('b', jobId, epoch, lie);
    expect(body).toMatchObject({ verified: false, releasedMicro: '0' });
    expect(body.reason).toMatch(/accuracy/);
    expect(await stakeOf(machines.b.id)).toBe(stakeBefore - stakeBefore / 4n);
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job).toMatchObject({ status: 'ESCROWED', lease: null, lastCheckpoint: null, paidMicro: '0', excludedMachines: [machines.b.id] });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 1, epochIndex: 0, loss: 1, accuracy: null, samplesPerSecond: null, etaSeconds: null })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_HELD' } });
    await (await asUser(alice)).jobs.cancel({ id: jobId });
  });

  it('refunds exactly what is left when cancelled mid-run, and refuses the runner afterwards', async () => {
    const { jobId, epoch } = await leasedJob('a');
    const runner = await asMachine('a');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    await runner.runner.jobStart({ jobId, epoch });
    expect((await put('a', jobId, epoch, new CpuRunner(spec).epoch(0))).body.verified).toBe(true);
    const paid = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.paidMicro);
    const escrow = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.escrowMicro);
    expect(paid).toBeGreaterThan(0n);
    const before = await available(alice);
    const cancelled = await (await asUser(alice)).jobs.cancel({ id: jobId });
    expect(cancelled).toMatchObject({ status: 'REFUNDED', refundedMicro: (escrow - paid).toString() });
    expect(await available(alice) - before).toBe(escrow - paid);
    await expect(runner.runner.jobComplete({ jobId, epoch, sha256: '2'.repeat(64) })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_HELD' } });
  });
});
