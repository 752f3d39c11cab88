import { ObjectId, type Db } from 'mongodb';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { hasBlob } from '../blobs/blob-store';
import { sha256Hex } from '../datasets/blob-store';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { machinesCollection } from '../machines/collections';
import { useTestDatabase } from '../testing/test-db';
import { jobEventsCollection, jobsCollection, jobSpecsCollection } from './collections';
import { expireLeases } from './expire-leases';
import type { FrozenJobSpec } from './job-spec';
import type { JobSpec } from './runner-protocol';
import { CpuRunner as WorldRunner, IRIS_INPUT as INPUT, RunnerWorld } from './testing/runner-world';

let db: Db;
let world: RunnerWorld;
// Iris: 150 rows, 20% validation → 120 training rows; floor(120 / 16) = 7 steps an epoch, 14 in all.
const TOTAL_STEPS = 14;
const IRIS_CSV = () => builtinCsv(findBuiltin('builtin:iris') as never);

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_runner'));
  world = await new RunnerWorld(db).start(mlpClassifier(4, [8], 3));
});

afterAll(async () => {
  await world?.stop();
});

/** The iris job's CPU trainer. */
const CpuRunner = class extends WorldRunner {
  constructor(spec: JobSpec) {
    super(spec, IRIS_CSV());
  }
};

describe('submit freezes the spec', () => {
  it('stores the graph, the full config, the data and the exact step count before money moves', async () => {
    const { jobId } = await world.leasedJob('a');
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job.totalSteps).toBe(TOTAL_STEPS);
    const spec = JSON.parse((await jobSpecsCollection(db).findOne({ _id: jobId }))!.specJson) as FrozenJobSpec;
    expect(spec.train).toMatchObject({ epochs: 2, batchSize: 16, seed: 3, optimizer: { type: 'adam', lr: 0.05 }, validationFraction: 0.2, testFraction: 0 });
    expect(spec.data).toMatchObject({ source: { kind: 'csv', label: 'Iris', sha256: sha256Hex(builtinCsv(findBuiltin('builtin:iris') as never)), labelColumn: 4 }, validationFraction: 0.2, testFraction: 0, seed: 3, preprocessing: 'standardize' });
    expect(JSON.parse(spec.checkpointMetadata['class_names']!)).toHaveLength(3);
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });

  it('refuses a batch larger than the training rows before any money moves', async () => {
    const before = await world.available(world.alice);
    const api = await world.asUser(world.alice);
    await expect(api.jobs.submit({ modelId: world.modelId, ...INPUT, config: { ...INPUT.config, batchSize: 500 }, approvedMicro: '1000000' })).rejects.toMatchObject({ cause: { code: 'BATCH_LARGER_THAN_DATA', field: 'config.batchSize' } });
    expect(await world.available(world.alice)).toBe(before);
  });
});

describe('heartbeats', () => {
  it('answer the held leases and renew them all with the machine\'s one write, without a transition; an expiry judged before a renewal loses', async () => {
    const { jobId, epoch } = await world.leasedJob('a');
    const before = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    const events = await jobEventsCollection(db).countDocuments({ jobId: before._id });
    await machinesCollection(db).updateOne({ _id: new ObjectId(world.machines.a.id) }, { $set: { nextHeartbeatAt: new Date(0) } });
    const beatAt = new Date(Date.now() + 5_000);
    const answer = await (await world.asMachine('a', beatAt)).runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } });
    expect(answer.jobs).toEqual([{ jobId, epoch, unitId: before.lease!.unitId, status: 'ASSIGNED' }]);
    // The renewal is the machine's leasesUntil (the heartbeat's own write); the job is not written.
    const machine = (await machinesCollection(db).findOne({ _id: new ObjectId(world.machines.a.id) }))!;
    expect(machine.leasesUntil!.getTime()).toBeGreaterThan(before.leaseExpiresAt!.getTime());
    const after = (await jobsCollection(db).findOne({ _id: before._id }))!;
    expect(after).toEqual(before);
    expect(await jobEventsCollection(db).countDocuments({ jobId: before._id })).toBe(events);
    // An expiry judged at the job's own old expiry finds its machine beating: it catches the job's expiry up instead.
    const judgedAt = before.leaseExpiresAt!;
    expect(await expireLeases(db, judgedAt)).toEqual([]);
    expect((await jobsCollection(db).findOne({ _id: before._id }))!).toMatchObject({ status: 'ASSIGNED', version: before.version, leaseExpiresAt: machine.leasesUntil, lease: { expiresAt: machine.leasesUntil!.getTime() } });
    // (expire-leases.test: once the machine's renewal has run out too, the lease expires.)
    // Machine B holds nothing.
    await machinesCollection(db).updateOne({ _id: new ObjectId(world.machines.b.id) }, { $set: { nextHeartbeatAt: new Date(0) } });
    expect((await (await world.asMachine('b')).runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } })).jobs).toEqual([]);
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });
});

describe('executing a job', () => {
  it('verifies honest checkpoints and pays each share with the 90/10 split, pays a repeat once, completes with the rest and a saved run', async () => {
    const { jobId, epoch } = await world.leasedJob('a');
    const runner = await world.asMachine('a');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    expect(spec).toMatchObject({ jobId, epoch, totalSteps: TOTAL_STEPS, startCheckpoint: null });
    await expect((await world.asMachine('b')).runner.jobSpec({ jobId, epoch })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'JOB_NOT_HELD' } });
    await expect(runner.runner.jobSpec({ jobId, epoch: epoch + 1 })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'STALE_LEASE_EPOCH' } });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 0, epochIndex: 0, loss: null, accuracy: null, samplesPerSecond: null, etaSeconds: null })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_STARTED' } });
    await runner.runner.jobStart({ jobId, epoch });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 3, epochIndex: 0, loss: 1.1, accuracy: 0.4, samplesPerSecond: 100, etaSeconds: 2 })).resolves.toEqual({ keepGoing: true });
    expect((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.progress).toMatchObject({ step: 3, totalSteps: TOTAL_STEPS, machineId: world.machines.a.id });

    // The dataset downloads with the lease, and nothing else does.
    const blob = (sha: string, m: 'a' | 'b' = 'a', e = epoch) => fetch(`${world.server.url}/api/runner/blobs/${sha}?job=${jobId}&epoch=${e}`, { headers: { authorization: `Bearer ${world.machines[m].credential}` } });
    const csv = builtinCsv(findBuiltin('builtin:iris') as never);
    const got = await blob(sha256Hex(csv));
    expect(got.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await got.arrayBuffer()))).toBe(sha256Hex(csv));
    expect((await blob('0'.repeat(64))).status).toBe(404);
    expect(await (await blob(sha256Hex(csv), 'b')).json()).toMatchObject({ code: 'JOB_NOT_HELD' });
    expect((await blob(sha256Hex(csv), 'a', epoch + 1)).status).toBe(409);
    expect((await fetch(`${world.server.url}/api/runner/blobs/${sha256Hex(csv)}?job=${jobId}&epoch=${epoch}`)).status).toBe(401);

    const trainer = new CpuRunner(spec);
    const first = trainer.epoch(0);
    // A body that is not what its hash says: refused, nothing stored or paid.
    const wrong = await world.upload('a', jobId, epoch, first.bytes, { 'x-cyxwiz-sha256': '1'.repeat(64), 'x-cyxwiz-report': JSON.stringify(first.report) });
    expect([wrong.status, wrong.body.code]).toEqual([400, 'BLOB_HASH_MISMATCH']);
    expect(await hasBlob(db, '1'.repeat(64))).toBe(false);

    const escrow = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.escrowMicro);
    const [bobBefore, feesBefore] = [await world.available(world.bob), await world.platformFees()];
    const verified = await world.put('a', jobId, epoch, first);
    expect(verified.status).toBe(200);
    expect(escrow).toBeGreaterThanOrEqual(100n);
    const share = (escrow * 7n) / 14n;
    expect(verified.body).toMatchObject({ verified: true, step: 7, reason: null, releasedMicro: share.toString(), platform: { rows: 30 } });
    expect(Math.abs(verified.body.platform.valLoss! - first.report.valLoss!)).toBeLessThan(1e-3);
    const fee = share / 10n;
    expect([await world.available(world.bob) - bobBefore, await world.platformFees() - feesBefore]).toEqual([share - fee, fee]);
    expect((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!).toMatchObject({ paidMicro: share.toString(), lastCheckpoint: { sha256: first.sha256, step: 7 } });
    // The same upload again: the same answer, paid once.
    expect((await world.put('a', jobId, epoch, first)).body).toMatchObject({ verified: true, releasedMicro: share.toString() });
    expect(await world.available(world.bob) - bobBefore).toBe(share - fee);
    // The checkpoint now downloads too (a resumed run starts from it).
    expect((await blob(first.sha256)).status).toBe(200);

    const second = trainer.epoch(1);
    await expect(runner.runner.jobComplete({ jobId, epoch, sha256: first.sha256 })).rejects.toMatchObject({ cause: { code: 'CHECKPOINT_NOT_FINAL' } });
    expect((await world.put('a', jobId, epoch, second)).body).toMatchObject({ verified: true, step: 14 });
    const done = await runner.runner.jobComplete({ jobId, epoch, sha256: second.sha256 });
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: escrow.toString(), refundedMicro: '0', resultRunId: done.resultRunId });
    expect((await world.ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', released: escrow.toString() });
    const run = await (await world.asUser(world.alice)).runs.get({ id: done.resultRunId });
    expect(run).toMatchObject({ status: 'completed', steps: TOTAL_STEPS, datasetId: 'builtin:iris' });
  });

  it('slashes a checkpoint whose accuracy is false, requeues the job from the last good one and excludes the machine', async () => {
    const { jobId, epoch } = await world.leasedJob('b');
    const runner = await world.asMachine('b');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    await runner.runner.jobStart({ jobId, epoch });
    const stakeBefore = await world.stakeOf(world.machines.b.id);
    const checkpoint = new CpuRunner(spec).epoch(0);
    const lie = { ...checkpoint, report: { ...checkpoint.report, valAccuracy: Math.min(1, (checkpoint.report.valAccuracy ?? 0) + 0.3) } };
    const { body } = await world.put('b', jobId, epoch, lie);
    expect(body).toMatchObject({ verified: false, releasedMicro: '0' });
    expect(body.reason).toMatch(/accuracy/);
    expect(await world.stakeOf(world.machines.b.id)).toBe(stakeBefore - stakeBefore / 4n);
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job).toMatchObject({ status: 'ESCROWED', lease: null, lastCheckpoint: null, paidMicro: '0', excludedMachines: [world.machines.b.id] });
    await expect(runner.runner.jobProgress({ jobId, epoch, step: 1, epochIndex: 0, loss: 1, accuracy: null, samplesPerSecond: null, etaSeconds: null })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_HELD' } });
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });

  it('refunds exactly what is left when cancelled mid-run, and refuses the runner afterwards', async () => {
    const { jobId, epoch } = await world.leasedJob('a');
    const runner = await world.asMachine('a');
    const spec = await runner.runner.jobSpec({ jobId, epoch });
    await runner.runner.jobStart({ jobId, epoch });
    expect((await world.put('a', jobId, epoch, new CpuRunner(spec).epoch(0))).body.verified).toBe(true);
    const paid = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.paidMicro);
    const escrow = BigInt((await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.escrowMicro);
    expect(paid).toBeGreaterThan(0n);
    const before = await world.available(world.alice);
    const cancelled = await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
    expect(cancelled).toMatchObject({ status: 'REFUNDED', refundedMicro: (escrow - paid).toString() });
    expect(await world.available(world.alice) - before).toBe(escrow - paid);
    await expect(runner.runner.jobComplete({ jobId, epoch, sha256: '2'.repeat(64) })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_HELD' } });
  });
});
