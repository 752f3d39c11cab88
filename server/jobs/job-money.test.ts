import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { cyx, MIN_STAKE } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { getLedger } from '../ledger';
import { machinesCollection } from '../machines/collections';
import { insertModel } from '../models/lifecycle';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { applyJobEvent } from './apply-job-event';
import { jobsCollection } from './collections';
import { createJob } from './create-job';
import { applyWithEffects, runJobEffects, settlePending } from './effects';
import { carriedEvent, jobTimeline } from './job-events-log';
import { scheduleOnce } from './schedule-once';
import { startSchedulerLoop } from './scheduler-loop';
import { insertMachine } from './testing/fixtures';

let db: Db;
let alice: PublicUser; // owns the model, pays
let bob: PublicUser; // provides the machine
let carol: PublicUser; // a stranger
let vera: PublicUser; // the model's viewer
let ed: PublicUser; // the model's editor
let broke: PublicUser; // an editor with no CYX
let modelId: string;
let machineId: string;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const ledger = () => getLedger(db);
const wallet = async (user: PublicUser) => (await ledger()).wallet(user.id);
const ledgerState = async () => JSON.parse((await (await ledger()).encodedState()).text) as { balances: [string, string][]; escrows: { escrowId: string; status: string; released: string; refunded: string }[]; nodes: { nodeId: string; stake: string; jobs: number; successes: number; totalDurationMs: number }[] };
const platformFees = async () => BigInt((await ledgerState()).balances.find(([a]) => a === 'system:platform-fees')?.[1] ?? '0');
let mints = 0;
const mint = async (user: PublicUser, amount: bigint) => (await ledger()).submit({ kind: 'mint', key: `test-mint:${mints++}`, at: Date.now(), by: 'admin', to: user.id, amount, reason: 'test' });

// Iris: 150 rows, 20% held out → 120 training rows. The MLP 4-8-3 trains at 421 FLOPs an example.
// 100 epochs: 421 × 120 × 100 = 5,052,000 FLOPs. The machine: a 24 GiB GPU (2e12 FLOP/s estimate)
// and its CPU (5e10), at 1e9 µCYX/h (1,000 CYX/h). Neither is measured, so each run's time adds
// its overhead (run-overhead.ts): 1 s + 300 steps (3 a batch-32 epoch) × 2 ms + 100 checkpoints ×
// 0.15 s = 16.6 s, which dwarfs the FLOPs' time.
// GPU: ceil(5.052e12 / 2e12) = 3 µs + 16,600,000 µs → ceil(1e9 × 16,600,003 / 3.6e9) = 4,611,112 µCYX.
// CPU: ceil(5.052e12 / 5e10) = 102 µs + 16,600,000 µs → ceil(1e9 × 16,600,102 / 3.6e9) = 4,611,140 µCYX.
const PRICE = '1000000000';
const GPU_INPUT = { datasetId: 'builtin:iris', config: { epochs: 100, batchSize: 32 }, requirements: { device: 'gpu' as const, minVramBytes: 0 }, priceCapMicro: PRICE };
const GPU_ESCROW = 4_611_112n;

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_money'));
  const user = (name: string) => signUp(db, { email: `${name}@example.com`, username: name, password: `${name}-password-1` });
  alice = await user('alice');
  bob = await user('bob');
  carol = await user('carol');
  vera = await user('vera');
  ed = await user('ed');
  broke = await user('broke');
  const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
  modelId = (await insertModel(db, { owner, name: 'iris mlp', graph: mlpClassifier(4, [8], 3), layout: {}, datasetId: 'builtin:iris' })).toHexString();
  const api = await as(alice);
  await api.models.share({ id: modelId, who: 'vera', role: 'viewer' });
  await api.models.share({ id: modelId, who: 'ed', role: 'editor' });
  await api.models.share({ id: modelId, who: 'broke', role: 'editor' });
  await mint(alice, cyx(100));
  // Bob's machine, staked in the ledger as registration stakes it (nodeId = the machine id).
  ({ machineId } = await insertMachine(db, new Date(), { pricePerHourMicro: PRICE }));
  await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(bob.id) } });
  await mint(bob, MIN_STAKE);
  const staked = await (await ledger()).submit({ kind: 'register_node', key: `test-register:${machineId}`, at: Date.now(), nodeId: machineId, owner: bob.id, stake: MIN_STAKE });
  expect(staked.seq).not.toBeNull();
});

/** The job's lease to the GPU unit (a scheduling pass), then the runner's start. */
async function runOnMachine(jobId: string): Promise<number> {
  const now = new Date();
  await machinesCollection(db).updateMany({}, { $set: { lastSeenAt: now } });
  const { assigned } = await scheduleOnce(db, now);
  const mine = assigned.find((a) => a.jobId === jobId);
  expect(mine?.machineId).toBe(machineId);
  await applyJobEvent(db, jobId, { type: 'start', epoch: mine!.epoch }, new Date());
  return mine!.epoch;
}

describe('jobs.quote', () => {
  it('prices the MLP over the matching units by hand', async () => {
    const quote = await (await as(alice)).jobs.quote({ modelId, ...GPU_INPUT, requirements: { device: 'cpu', minVramBytes: 0 } });
    expect(quote).toMatchObject({ flopsPerSample: 421, trainingSamples: 120, epochs: 100, trainingFlops: 5_052_000, matches: 2, costMicro: { min: '4611112', max: '4611140' }, escrowMicro: '4611140', shape: { steps: 300, checkpoints: 100 } });
    expect(quote.seconds.min).toBeCloseTo(5_052_000 / 2e12 + 16.6, 9);
    expect(quote.seconds.max).toBeCloseTo(5_052_000 / 5e10 + 16.6, 9);
    expect(quote.units.map((u) => [u.kind, u.costMicro])).toEqual([['gpu', '4611112'], ['cpu', '4611140']]);
    const gpuOnly = await (await as(ed)).jobs.quote({ modelId, ...GPU_INPUT });
    expect([gpuOnly.matches, gpuOnly.escrowMicro]).toEqual([1, GPU_ESCROW.toString()]);
  });

  it('names the requirement no machine meets, and refuses strangers and viewers', async () => {
    const api = await as(alice);
    await expect(api.jobs.quote({ modelId, ...GPU_INPUT, requirements: { device: 'gpu', minVramBytes: 64 * 2 ** 30 } })).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'NO_MATCHING_MACHINE', field: 'requirements.minVramBytes' } });
    await expect(api.jobs.quote({ modelId, ...GPU_INPUT, priceCapMicro: '999999999' })).rejects.toMatchObject({ cause: { code: 'NO_MATCHING_MACHINE', field: 'priceCapMicro' } });
    await expect((await as(carol)).jobs.quote({ modelId, ...GPU_INPUT })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'MODEL_NOT_FOUND' } });
    await expect((await as(vera)).jobs.quote({ modelId, ...GPU_INPUT })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('jobs.submit and jobs.cancel', () => {
  it('locks the quoted escrow (available down, in escrow up) and queues the job for the scheduler', async () => {
    const before = await wallet(alice);
    const { jobId, job } = await (await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: GPU_ESCROW.toString() });
    expect(job).toMatchObject({ status: 'ESCROWED', quotedMicro: '4611112', paidMicro: '0', refundedMicro: '0' });
    const after = await wallet(alice);
    expect([before.available - after.available, after.inEscrow - before.inEscrow]).toEqual([GPU_ESCROW, GPU_ESCROW]);
    const stored = await jobsCollection(db).findOne({ _id: new ObjectId(jobId) });
    expect(stored).toMatchObject({ escrowed: true, trainingFlops: 5_052_000, datasetId: 'builtin:iris', config: { epochs: 100, batchSize: 32, learningRate: null, seed: null } });

    // Cancel gives everything back and closes the escrow.
    const cancelled = await (await as(alice)).jobs.cancel({ id: jobId });
    expect(cancelled).toMatchObject({ status: 'REFUNDED', refundedMicro: '4611112', paidMicro: '0' });
    expect(await wallet(alice)).toMatchObject({ available: before.available, inEscrow: before.inEscrow });
    expect((await ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', refunded: '4611112', released: '0' });
    await expect((await as(alice)).jobs.cancel({ id: jobId })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'INVALID_TRANSITION' } });
  });

  it('refuses a quote dearer than the one approved, and a graph that does not validate, before any money moves', async () => {
    const before = await wallet(alice);
    const count = await jobsCollection(db).countDocuments({ ownerId: new ObjectId(alice.id) });
    await expect((await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '4611111' })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'QUOTE_CHANGED' } });
    const graph = mlpClassifier(4, [8], 3);
    const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
    const broken = (await insertModel(db, { owner, name: 'broken', graph: { ...graph, edges: graph.edges.slice(1) }, layout: {} })).toHexString();
    await expect((await as(alice)).jobs.submit({ modelId: broken, ...GPU_INPUT, approvedMicro: '100000' })).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'GRAPH_INVALID' } });
    expect(await jobsCollection(db).countDocuments({ ownerId: new ObjectId(alice.id) })).toBe(count);
    expect(await wallet(alice)).toEqual(before);
  });

  it('insufficient funds: says how much is missing, locks nothing, and the job ends CANCELLED', async () => {
    const api = await as(broke);
    const error = await api.jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '4611112' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'INSUFFICIENT_FUNDS' } });
    expect((error as Error).message).toContain('needs 4.611112 CYX more than the 0 CYX available');
    expect(await wallet(broke)).toMatchObject({ available: 0n, inEscrow: 0n });
    const [job] = await api.jobs.list({});
    expect(job).toMatchObject({ status: 'CANCELLED', quotedMicro: '4611112', paidMicro: '0', refundedMicro: '0', failureReason: expect.stringContaining('4.611112 CYX') });
  });
});

describe('a job run to the end', () => {
  it('pays the provider 90% and the platform 10%, closes the escrow, and re-running the effects pays nothing twice', async () => {
    const [aliceBefore, bobBefore, feesBefore] = [await wallet(alice), await wallet(bob), await platformFees()];
    const { jobId } = await (await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '5000000' });
    const epoch = await runOnMachine(jobId);
    const assignedAt = (await jobTimeline(db, new ObjectId(jobId))).find((e) => e.event.type === 'assign')!.at;
    const completedAt = new Date(assignedAt.getTime() + 4321);
    const heldMs = 4321;
    const done = await applyWithEffects(db, jobId, { type: 'complete', epoch }, completedAt);
    expect(done.job).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: '4611112', refundedMicro: '0' });

    const fee = GPU_ESCROW / 10n; // 461,111
    const check = async () => {
      const [a, b] = [await wallet(alice), await wallet(bob)];
      expect(aliceBefore.available - a.available).toBe(GPU_ESCROW);
      expect(a.inEscrow).toBe(aliceBefore.inEscrow);
      expect(b.available - bobBefore.available).toBe(GPU_ESCROW - fee); // 4,150,001, 90% rounded in the provider's favour
      expect((await platformFees()) - feesBefore).toBe(fee);
      expect((await ledgerState()).escrows.find((e) => e.escrowId === jobId)).toMatchObject({ status: 'closed', released: '4611112', refunded: '0' });
      expect((await ledgerState()).nodes.find((n) => n.nodeId === machineId)).toMatchObject({ jobs: 1, successes: 1, totalDurationMs: heldMs });
    };
    await check();

    // Every transition's effects again, and the sweep over the job put back as a crash right after
    // 'complete' would have left it (nothing recorded as paid): the ledger answers repeats, nothing moves.
    const seq = (await ledger()).seq;
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    await runJobEffects(db, job._id, done.applied.event, new Date());
    await runJobEffects(db, job._id, carriedEvent(job)!, new Date());
    const stale = { version: done.applied.event.version, effects: done.applied.event.effects };
    await jobsCollection(db).updateOne({ _id: job._id }, { $set: { status: 'COMPLETED', version: stale.version, effectsDoneVersion: 0, paidMicro: '0', updatedAt: new Date(0), lastEventJson: JSON.stringify({ ...stale, event: done.applied.event.event, at: done.applied.event.at.getTime() }) } });
    const swept = await settlePending(db, new Date());
    expect(swept.failed).toEqual([]);
    expect(swept.settled.find((s) => s.jobId === jobId)?.steps.filter((s) => s.result === 'applied')).toEqual([]);
    expect((await ledger()).seq).toBe(seq);
    await check();
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'PAYMENT_RELEASED', paidMicro: '4611112' });
  });

  it("a crash between the job update and its effects is finished by settlePending: the escrow locks, a cancel's refund lands", async () => {
    const before = await wallet(alice);
    const now = new Date();
    // Submit as far as the approval, as if the process died before its lock_escrow ran.
    const job = await createJob(db, { modelId: new ObjectId(modelId), ownerId: new ObjectId(alice.id), requirements: GPU_INPUT.requirements, priceCapMicro: PRICE, escrowMicro: '500' }, now);
    await applyJobEvent(db, job._id, { type: 'approve' }, now);
    expect((await settlePending(db, now)).settled.map((s) => s.jobId)).not.toContain(job._id.toHexString()); // still in its grace period
    const later = new Date(now.getTime() + 61_000);
    await settlePending(db, later);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ESCROWED', escrowed: true });
    expect((await wallet(alice)).inEscrow - before.inEscrow).toBe(500n);

    await applyJobEvent(db, job._id, { type: 'cancel' }, later);
    await settlePending(db, new Date(later.getTime() + 61_000));
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'REFUNDED', refundedMicro: '500' });
    expect(await wallet(alice)).toMatchObject({ available: before.available, inEscrow: before.inEscrow });
  });

  it('an escrow that lands after a cancel found none (the lock was in flight, then its process died) is refunded by the sweep', async () => {
    const before = await wallet(alice);
    const now = new Date();
    const job = await createJob(db, { modelId: new ObjectId(modelId), ownerId: new ObjectId(alice.id), requirements: GPU_INPUT.requirements, priceCapMicro: PRICE, escrowMicro: '700' }, now);
    const approved = await applyJobEvent(db, job._id, { type: 'approve' }, now);
    const cancelled = await applyWithEffects(db, job._id, { type: 'cancel' }, now);
    expect(cancelled.steps.map((s) => s.detail)).toContain('no escrow was locked');
    // The lock that was in flight lands now, keyed as lock_escrow keys it; its process dies before it can see the cancel.
    const landed = await (await ledger()).submit({ kind: 'create_escrow', key: `job:${job._id.toHexString()}:v${approved.job.version}:lock_escrow`, at: now.getTime(), escrowId: job._id.toHexString(), payer: alice.id, amount: 700n });
    expect(landed.seq).not.toBeNull();
    expect((await wallet(alice)).inEscrow - before.inEscrow).toBe(700n);
    await settlePending(db, new Date(now.getTime() + 61_000));
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'CANCELLED', refundedMicro: '700' });
    expect(await wallet(alice)).toMatchObject({ available: before.available, inEscrow: before.inEscrow });
    expect((await ledgerState()).escrows.find((e) => e.escrowId === job._id.toHexString())).toMatchObject({ status: 'closed', refunded: '700' });
  });

  it('a lease that expires slashes 10% of the machine\'s stake and records a failure; the job goes back to the queue', async () => {
    const { jobId } = await (await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '4611112' });
    await runOnMachine(jobId);
    const stakeBefore = (await wallet(bob)).staked;
    const lease = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!.lease!;
    const loop = startSchedulerLoop(db, { intervalMs: 3_600_000, now: () => new Date(lease.expiresAt + 1) });
    try {
      const pass = await loop.poke();
      expect(pass.expired.map((e) => e.jobId)).toEqual([jobId]);
    } finally {
      await loop.stop();
    }
    expect(stakeBefore - (await wallet(bob)).staked).toBe(stakeBefore / 10n);
    expect((await ledgerState()).nodes.find((n) => n.nodeId === machineId)).toMatchObject({ jobs: 2, successes: 1 });
    expect(await jobsCollection(db).findOne({ _id: new ObjectId(jobId) })).toMatchObject({ status: 'ESCROWED', excludedMachines: [machineId], escrowed: true });
    // Cancelled now, it refunds in full: the machine that timed out is paid nothing.
    expect(await (await as(alice)).jobs.cancel({ id: jobId })).toMatchObject({ status: 'REFUNDED', refundedMicro: '4611112', paidMicro: '0' });
  });
});

describe('a job that fails on its last machine', () => {
  it('refunds what is left though its transition names no refund, and records the failure without a slash', async () => {
    const before = await wallet(alice);
    const { jobId } = await (await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '4611112' });
    // Two machines failed it before (MAX_ATTEMPTS is 3): this one is its last.
    await jobsCollection(db).updateOne({ _id: new ObjectId(jobId) }, { $set: { excludedMachines: ['a'.repeat(24), 'b'.repeat(24)] } });
    const epoch = await runOnMachine(jobId);
    const [stake, node] = [(await wallet(bob)).staked, (await ledgerState()).nodes.find((n) => n.nodeId === machineId)!];
    const failed = await applyWithEffects(db, jobId, { type: 'fail', epoch, reason: 'out of memory' }, new Date());
    expect(failed.applied.job.status).toBe('FAILED');
    expect(failed.applied.effects.map((e) => e.type)).not.toContain('refund_rest');
    expect(failed.job).toMatchObject({ status: 'REFUNDED', refundedMicro: '4611112', paidMicro: '0' });
    expect(await wallet(alice)).toMatchObject({ available: before.available, inEscrow: before.inEscrow });
    expect((await wallet(bob)).staked).toBe(stake);
    expect((await ledgerState()).nodes.find((n) => n.nodeId === machineId)).toMatchObject({ jobs: node.jobs + 1, successes: node.successes });
  });
});

describe('who sees and cancels a job', () => {
  it("the model's viewers see its jobs but cannot cancel; editors cancel; strangers get NOT_FOUND everywhere", async () => {
    const { jobId } = await (await as(alice)).jobs.submit({ modelId, ...GPU_INPUT, approvedMicro: '4611112' });
    const stranger = await as(carol);
    await expect(stranger.jobs.get({ id: jobId })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'JOB_NOT_FOUND' } });
    await expect(stranger.jobs.cancel({ id: jobId })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'JOB_NOT_FOUND' } });
    await expect(stranger.jobs.list({ modelId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await stranger.jobs.list({})).toEqual([]);
    await expect(stranger.jobs.get({ id: 'not-an-id' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const viewer = await as(vera);
    expect(await viewer.jobs.get({ id: jobId })).toMatchObject({ id: jobId, status: 'ESCROWED' });
    expect((await viewer.jobs.list({ modelId })).map((j) => j.id)).toContain(jobId);
    await expect(viewer.jobs.cancel({ id: jobId })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'JOB_ROLE_TOO_LOW' } });
    expect(await (await as(ed)).jobs.cancel({ id: jobId })).toMatchObject({ status: 'REFUNDED', refundedMicro: '4611112' });

    const mine = await (await as(alice)).jobs.list({});
    expect(mine[0]).toMatchObject({ id: jobId, status: 'REFUNDED' });
    expect(mine.map((j) => j.status)).toEqual(expect.arrayContaining(['PAYMENT_RELEASED', 'REFUNDED']));
  });
});
