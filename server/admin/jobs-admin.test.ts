import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cyx, MIN_STAKE } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { applyJobEvent } from '../jobs/apply-job-event';
import { jobsCollection, type JobDoc } from '../jobs/collections';
import { createJob } from '../jobs/create-job';
import { applyWithEffects, runJobEffects } from '../jobs/effects';
import { expireLeases } from '../jobs/expire-leases';
import { insertMachine } from '../jobs/testing/fixtures';
import { getLedger } from '../ledger';
import { machinesCollection } from '../machines/collections';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';

let db: Db;
let admin: PublicUser;
let payer: PublicUser;
let provider: PublicUser;
let clock = new Date('2026-05-01T10:00:00Z');
const now = () => clock;
const minutes = (n: number) => n * 60_000;

const ESCROW = 9_000n;
const TOTAL_STEPS = 9;

const asAdmin = async () => createCaller(await createContext({ db, headers: new Headers({ 'x-forwarded-for': '10.1.2.3' }), sessionUserId: admin.id, now }));
const ledger = () => getLedger(db);
const available = async (user: PublicUser) => (await (await ledger()).wallet(user.id)).available;
const auditFor = (action: string, jobId: string) => collections(db).audit.find({ action: action as never, target: { $regex: jobId } }).toArray();
let mints = 0;

/** A machine of the provider, staked through the ledger as registration stakes it. */
async function stakedMachine(): Promise<{ machineId: string; unitId: string }> {
  const { machineId, unitIds } = await insertMachine(db, clock);
  await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(provider.id) } });
  await (await ledger()).submit({ kind: 'mint', key: `jobs-admin-mint:${mints++}`, at: clock.getTime(), by: admin.id, to: provider.id, amount: MIN_STAKE, reason: 'stake' });
  const staked = await (await ledger()).submit({ kind: 'register_node', key: `machine-register:${machineId}`, at: clock.getTime(), nodeId: machineId, owner: provider.id, stake: MIN_STAKE });
  expect(staked.seq).not.toBeNull();
  return { machineId, unitId: unitIds[0]! };
}

/** A job paid for through the ledger (ESCROW locked), leased to a fresh staked machine and started. */
async function runningJob(): Promise<{ job: JobDoc; machineId: string }> {
  const created = await createJob(db, { modelId: new ObjectId(), ownerId: new ObjectId(payer.id), requirements: { device: 'gpu', minVramBytes: 0 }, priceCapMicro: '5000000', escrowMicro: ESCROW.toString(), totalSteps: TOTAL_STEPS }, clock);
  const approved = await applyWithEffects(db, created._id, { type: 'approve' }, clock);
  expect(approved.job.status).toBe('ESCROWED');
  const { machineId, unitId } = await stakedMachine();
  await applyJobEvent(db, created._id, { type: 'assign', machineId, unitId, expiresAt: clock.getTime() + minutes(2) }, clock);
  const started = await applyJobEvent(db, created._id, { type: 'start', epoch: 1 }, clock);
  return { job: started.job, machineId };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_jobs'));
  admin = await signUp(db, { email: 'ops@example.com', username: 'ops', password: 'ops-password-1' }, 'admin');
  payer = await signUp(db, { email: 'payer@example.com', username: 'payer', password: 'payer-password-1' });
  provider = await signUp(db, { email: 'gpus@example.com', username: 'gpus', password: 'gpus-password-1' });
  await (await ledger()).submit({ kind: 'mint', key: 'jobs-admin-payer', at: clock.getTime(), by: admin.id, to: payer.id, amount: cyx(1), reason: 'seed' });
});

describe('admin jobs', () => {
  it('cancel with refund returns exactly what is left after a checkpoint share, and leaves one audit entry', async () => {
    const { job, machineId } = await runningJob();
    const id = job._id.toHexString();
    // Three of nine steps verified: a third of the escrow was released to the provider.
    await applyWithEffects(db, job._id, { type: 'checkpoint_verified', epoch: 1, step: 3 }, clock);
    const before = await available(payer);
    const caller = await asAdmin();
    const result = await caller.admin.jobs.cancel({ jobId: id, reason: 'owner asked support' });
    expect(result.refundedMicro).toBe((ESCROW - ESCROW / 3n).toString());
    expect((await available(payer)) - before).toBe(ESCROW - ESCROW / 3n);
    expect(result.job).toMatchObject({ status: 'REFUNDED', failureReason: 'cancelled by an administrator: owner asked support', machineId: null });
    expect((await jobsCollection(db).findOne({ _id: job._id }))!.excludedMachines).not.toContain(machineId);
    const entries = await auditFor('job.cancel', id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorId: new ObjectId(admin.id), reason: 'owner asked support', ip: '10.1.2.3' });
    // The same click again: the job has ended, nothing more is refunded or audited.
    await expect(caller.admin.jobs.cancel({ jobId: id, reason: 'owner asked support' })).rejects.toMatchObject({ cause: { code: 'INVALID_TRANSITION' } });
    expect(await auditFor('job.cancel', id)).toHaveLength(1);
    await expect(caller.admin.jobs.cancel({ jobId: id, reason: ' ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('requeue frees the unit without slashing or excluding, resumes from the last checkpoint, one audit entry', async () => {
    const { job, machineId } = await runningJob();
    const id = job._id.toHexString();
    await applyWithEffects(db, job._id, { type: 'checkpoint_verified', epoch: 1, step: 3 }, clock, { alsoSet: { lastCheckpoint: { sha256: 'a'.repeat(64), step: 3, epochIndex: 0, bytes: 10, valLoss: null, valAccuracy: null, machineId, verifiedAt: clock } } });
    const stakeBefore = await (await ledger()).inspect((s) => s.nodes.get(machineId)!.stake);
    const result = await (await asAdmin()).admin.jobs.requeue({ jobId: id, reason: 'no progress for an hour' });
    expect(result.job).toMatchObject({ status: 'ESCROWED', lastCheckpointStep: 3 });
    expect(result.slashedMicro).toBe('0');
    const after = (await jobsCollection(db).findOne({ _id: job._id }))!;
    expect(after).toMatchObject({ lease: null, excludedMachines: [] });
    expect(await (await ledger()).inspect((s) => s.nodes.get(machineId)!.stake)).toBe(stakeBefore);
    expect(await collections(db).audit.countDocuments({ action: 'machine.slash', target: { $regex: id } })).toBe(0);
    const entries = await auditFor('job.requeue', id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.target).toContain('resuming from step 3');
    await expect((await asAdmin()).admin.jobs.requeue({ jobId: id, reason: 'again please' })).rejects.toMatchObject({ cause: { code: 'INVALID_TRANSITION' } });
    expect(await auditFor('job.requeue', id)).toHaveLength(1);
  });

  it('invalidate slashes the machine, refunds the rest, fails the job: one job.invalidate entry and no automatic one', async () => {
    const { job, machineId } = await runningJob();
    const id = job._id.toHexString();
    const before = await available(payer);
    const result = await (await asAdmin()).admin.jobs.invalidate({ jobId: id, reason: 'weights are noise' });
    expect(result.job.status).toBe('REFUNDED');
    expect(result.refundedMicro).toBe(ESCROW.toString());
    expect((await available(payer)) - before).toBe(ESCROW);
    const slashed = await (await ledger()).inspect((s) => s.nodes.get(machineId)!.slashed);
    expect(slashed).toBeGreaterThan(0n);
    expect(result.slashedMicro).toBe(slashed.toString());
    const entries = await auditFor('job.invalidate', id);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.reason).toBe('weights are noise');
    expect(await collections(db).audit.countDocuments({ action: 'machine.slash', target: { $regex: id } })).toBe(0);
  });

  it('an automatic slash (lease expiry) leaves one machine.slash entry, and a re-run of its effects none more', async () => {
    const { job, machineId } = await runningJob();
    const id = job._id.toHexString();
    const [expired] = (await expireLeases(db, new Date(clock.getTime() + minutes(3)))).filter((e) => e.jobId === id);
    expect(expired).toBeDefined();
    const transition = { version: expired!.version, effects: expired!.effects };
    await runJobEffects(db, job._id, transition, clock);
    await runJobEffects(db, job._id, transition, clock);
    const entries = await collections(db).audit.find({ action: 'machine.slash', target: { $regex: id } }).toArray();
    expect(entries).toHaveLength(1);
    const slashed = await (await ledger()).inspect((s) => s.nodes.get(machineId)!.slashed);
    expect(entries[0]).toMatchObject({ actorId: null, reason: 'automatic: its lease expired (timeout)' });
    expect(entries[0]!.target).toContain(`${machineId}`);
    expect(slashed).toBeGreaterThan(0n);
  });

  it('lists stuck jobs (leased, no report or transition for N minutes) and failed ones, and shows a job with its ledger rows', async () => {
    const { job: quiet } = await runningJob();
    const { job: busy } = await runningJob();
    await jobsCollection(db).updateOne({ _id: busy._id }, { $set: { progress: { step: 1, totalSteps: TOTAL_STEPS, epochIndex: 0, loss: 1, accuracy: null, valLoss: null, valAccuracy: null, samplesPerSecond: 10, etaSeconds: 5, machineId: 'x', at: new Date(clock.getTime() + minutes(20)) } } });
    const later = new Date(clock.getTime() + minutes(25));
    const saved = clock;
    clock = later;
    try {
      const caller = await asAdmin();
      const stuck = await caller.admin.jobs.list({ view: 'stuck', stuckMinutes: 10 });
      const stuckIds = stuck.rows.map((r) => r.id);
      expect(stuckIds).toContain(quiet._id.toHexString());
      expect(stuckIds).not.toContain(busy._id.toHexString());
      expect(stuck.counts.RUNNING).toBeGreaterThanOrEqual(2);
      expect((await caller.admin.jobs.list({ view: 'stuck', stuckMinutes: 30 })).rows.map((r) => r.id)).not.toContain(quiet._id.toHexString());
      await expect(caller.admin.jobs.list({ view: 'stuck', stuckMinutes: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

      // Earlier tests left a cancelled job (not a failure) and an invalidated one (a failure).
      const failed = await caller.admin.jobs.list({ view: 'failed' });
      expect(failed.rows.length).toBeGreaterThan(0);
      for (const row of failed.rows) expect(row.failureReason).not.toMatch(/^cancelled/);
      const refunded = await caller.admin.jobs.list({ view: 'all', status: 'REFUNDED' });
      expect(refunded.rows.some((r) => r.failureReason?.startsWith('cancelled by an administrator'))).toBe(true);

      await applyWithEffects(db, quiet._id, { type: 'checkpoint_verified', epoch: 1, step: 3 }, clock);
      const detail = await caller.admin.jobs.detail({ jobId: quiet._id.toHexString() });
      expect(detail.owner).toEqual({ id: payer.id, name: 'payer' });
      expect(detail.escrow).toEqual({ depositMicro: ESCROW.toString(), releasedMicro: (ESCROW / 3n).toString(), refundedMicro: '0', open: true });
      expect(detail.ledger.map((r) => r.kind)).toEqual(['create_escrow', 'release']);
      expect(detail.ledger[1]!.moves).toContainEqual({ type: 'escrow_released', amount: (ESCROW / 3n).toString() });
      expect(detail.ledger.every((r) => r.key.startsWith(`job:${quiet._id.toHexString()}:`) && r.seq !== null)).toBe(true);
      expect(detail.timeline.map((t) => t.type)).toEqual(['approve', 'escrow_locked', 'assign', 'start', 'checkpoint_verified']);
      await expect(caller.admin.jobs.detail({ jobId: new ObjectId().toHexString() })).rejects.toMatchObject({ cause: { code: 'JOB_NOT_FOUND' } });
    } finally {
      clock = saved;
    }
  });
});
