import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { useTestDatabase } from '../testing/test-db';
import { APPLY_ATTEMPTS, applyJobEvent } from './apply-job-event';
import { jobEventsCollection, jobsCollection, unitClaimsCollection } from './collections';
import { createJob } from './create-job';
import { jobTimeline } from './job-events-log';
import { queuedJob } from './testing/fixtures';

let db: Db;
const t0 = new Date('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as AppError,
  );

const newInput = () => ({ modelId: new ObjectId(), ownerId: new ObjectId(), requirements: { device: 'gpu' as const, minVramBytes: 8 * 2 ** 30 }, priceCapMicro: '2000000' });

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_apply'));
});

describe('createJob', () => {
  it('stores a CREATED job at version 0 with what it needs', async () => {
    const job = await createJob(db, { ...newInput(), trainingFlops: 1e15 }, t0);
    const stored = await jobsCollection(db).findOne({ _id: job._id });
    expect(stored).toMatchObject({ status: 'CREATED', version: 0, leaseEpoch: 0, lease: null, excludedMachines: [], escrowed: false, priceCapMicro: '2000000', trainingFlops: 1e15, queuedAt: null, lastEventJson: null });
    expect(stored?.requirements).toEqual({ device: 'gpu', minVramBytes: 8 * 2 ** 30 });
  });

  it('refuses requirements the scheduler could not match, with the field', async () => {
    const cases: [Parameters<typeof createJob>[1], string, string][] = [
      [{ ...newInput(), requirements: { device: 'tpu' as 'gpu', minVramBytes: 0 } }, 'INVALID_DEVICE', 'requirements.device'],
      [{ ...newInput(), requirements: { device: 'cpu', minVramBytes: -1 } }, 'INVALID_MIN_VRAM', 'requirements.minVramBytes'],
      [{ ...newInput(), requirements: { device: 'cpu', minVramBytes: 1.5 } }, 'INVALID_MIN_VRAM', 'requirements.minVramBytes'],
      [{ ...newInput(), priceCapMicro: '1.5' }, 'INVALID_PRICE_CAP', 'priceCapMicro'],
      [{ ...newInput(), trainingFlops: Number.NaN }, 'INVALID_TRAINING_FLOPS', 'trainingFlops'],
    ];
    for (const [input, code, field] of cases) {
      const error = await refusal(createJob(db, input, t0));
      expect(error).toBeInstanceOf(AppError);
      expect([error.code, error.field]).toEqual([code, field]);
    }
  });
});

describe('applyJobEvent', () => {
  it('saves each transition with its version and appends it, effects included, to jobEvents', async () => {
    const job = await createJob(db, newInput(), t0);
    const approved = await applyJobEvent(db, job._id, { type: 'approve' }, at(1));
    expect(approved.effects).toEqual([{ type: 'lock_escrow' }]);
    const escrowed = await applyJobEvent(db, job._id.toHexString(), { type: 'escrow_locked' }, at(2));
    expect(escrowed.job).toMatchObject({ status: 'ESCROWED', version: 2, escrowed: true });
    const stored = await jobsCollection(db).findOne({ _id: job._id });
    expect(stored).toMatchObject({ status: 'ESCROWED', version: 2, escrowed: true, updatedAt: at(2), queuedAt: at(1) });
    const events = await jobEventsCollection(db).find({ jobId: job._id }).sort({ version: 1 }).toArray();
    expect(events.map((e) => [e._id, e.version, e.event.type, e.effects, e.at])).toEqual([
      [`${job._id.toHexString()}:1`, 1, 'approve', [{ type: 'lock_escrow' }], at(1)],
      [`${job._id.toHexString()}:2`, 2, 'escrow_locked', [], at(2)],
    ]);
  });

  it('answers a refusal as an AppError with its code and writes nothing', async () => {
    const job = await createJob(db, newInput(), t0);
    const error = await refusal(applyJobEvent(db, job._id, { type: 'start', epoch: 1 }, at(1)));
    expect([error.kind, error.code]).toEqual(['CONFLICT', 'INVALID_TRANSITION']);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ version: 0, status: 'CREATED' });
    expect(await jobEventsCollection(db).countDocuments({ jobId: job._id })).toBe(0);
  });

  it('refuses a stale lease epoch: the first machine cannot report once the job moved to another', async () => {
    const job = await queuedJob(db, t0);
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'm1', unitId: 'm1-u0', expiresAt: at(30).getTime() }, at(1));
    await applyJobEvent(db, job._id, { type: 'lease_expired', epoch: 1 }, at(31));
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'm2', unitId: 'm2-u0', expiresAt: at(62).getTime() }, at(32));
    await applyJobEvent(db, job._id, { type: 'start', epoch: 2 }, at(33));
    const before = await jobsCollection(db).findOne({ _id: job._id });
    for (const event of [{ type: 'progress', epoch: 1 }, { type: 'complete', epoch: 1 }, { type: 'renew', epoch: 1, expiresAt: at(90).getTime() }] as const) {
      const error = await refusal(applyJobEvent(db, job._id, event, at(34)));
      expect([error.kind, error.code]).toEqual(['CONFLICT', 'STALE_LEASE_EPOCH']);
    }
    expect(await jobsCollection(db).findOne({ _id: job._id })).toEqual(before);
    await expect(applyJobEvent(db, job._id, { type: 'progress', epoch: 2 }, at(35))).resolves.toMatchObject({ job: { status: 'RUNNING', lease: { machineId: 'm2', epoch: 2 } } });
  });

  it('refuses to assign a machine that failed the job (MACHINE_EXCLUDED)', async () => {
    const job = await queuedJob(db, t0);
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'm1', unitId: 'm1-u0', expiresAt: at(30).getTime() }, at(1));
    await applyJobEvent(db, job._id, { type: 'fail', epoch: 1, reason: 'out of memory' }, at(2));
    const error = await refusal(applyJobEvent(db, job._id, { type: 'assign', machineId: 'm1', unitId: 'm1-u1', expiresAt: at(60).getTime() }, at(3)));
    expect(error.code).toBe('MACHINE_EXCLUDED');
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ESCROWED', excludedMachines: ['m1'], lease: null, leaseExpiresAt: null });
  });

  it('answers JOB_NOT_FOUND for an unknown or malformed id', async () => {
    expect((await refusal(applyJobEvent(db, new ObjectId(), { type: 'approve' }, t0))).code).toBe('JOB_NOT_FOUND');
    expect((await refusal(applyJobEvent(db, 'not-an-id', { type: 'approve' }, t0))).code).toBe('JOB_NOT_FOUND');
  });

  it('retries a lost race: concurrent renewals all land, each on its own version', async () => {
    const job = await queuedJob(db, t0);
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'm1', unitId: 'm1-u0', expiresAt: at(30).getTime() }, at(1));
    const renewals = Array.from({ length: APPLY_ATTEMPTS }, (_, i) => applyJobEvent(db, job._id, { type: 'renew', epoch: 1, expiresAt: at(40 + i).getTime() }, at(2)));
    const versions = (await Promise.all(renewals)).map((r) => r.event.version).sort((a, b) => a - b);
    expect(versions).toEqual([4, 5, 6, 7, 8]);
    const stored = await jobsCollection(db).findOne({ _id: job._id });
    expect(stored).toMatchObject({ version: 8, leaseExpiresAt: at(40 + APPLY_ATTEMPTS - 1) });
    expect((await jobTimeline(db, job._id)).map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('lets exactly one of two conflicting events win; the other is refused against the state it finds', async () => {
    const job = await queuedJob(db, t0);
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'm1', unitId: 'm1-u0', expiresAt: at(30).getTime() }, at(1));
    const results = await Promise.allSettled([applyJobEvent(db, job._id, { type: 'start', epoch: 1 }, at(2)), applyJobEvent(db, job._id, { type: 'start', epoch: 1 }, at(2))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await jobEventsCollection(db).countDocuments({ jobId: job._id })).toBe(4);
  });

  it('with expectedVersion, refuses a job that moved on instead of retrying (JOB_CHANGED)', async () => {
    const job = await queuedJob(db, t0);
    const error = await refusal(applyJobEvent(db, job._id, { type: 'cancel' }, at(1), { expectedVersion: job.version - 1 }));
    expect([error.kind, error.code]).toEqual(['CONFLICT', 'JOB_CHANGED']);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ESCROWED', version: job.version });
    await expect(applyJobEvent(db, job._id, { type: 'cancel' }, at(2), { expectedVersion: job.version })).resolves.toMatchObject({ job: { status: 'CANCELLED' } });
  });

  it('loses no transition when a process dies between the job update and the jobEvents insert', async () => {
    const job = await queuedJob(db, t0);
    await applyJobEvent(db, job._id, { type: 'cancel' }, at(1));
    // What a crash right after the job's update leaves: the job at version 3, no event 3 in the log.
    await jobEventsCollection(db).deleteOne({ _id: `${job._id.toHexString()}:3` });
    expect(await jobEventsCollection(db).countDocuments({ jobId: job._id })).toBe(2);
    const timeline = await jobTimeline(db, job._id);
    expect(timeline.map((e) => [e.version, e.event.type, e.effects, e.at])).toEqual([
      [1, 'approve', [{ type: 'lock_escrow' }], t0],
      [2, 'escrow_locked', [], t0],
      [3, 'cancel', [{ type: 'refund_rest' }], at(1)],
    ]);
    // The next transition writes the carried event out along with its own.
    await applyJobEvent(db, job._id, { type: 'settled' }, at(2));
    const logged = await jobEventsCollection(db).find({ jobId: job._id }).sort({ version: 1 }).toArray();
    expect(logged.map((e) => [e.version, e.event.type])).toEqual([
      [1, 'approve'],
      [2, 'escrow_locked'],
      [3, 'cancel'],
      [4, 'settled'],
    ]);
    expect(logged[2]).toEqual(timeline[2]);
  });

  it('gives the unit back when a transition frees it, and only the claim of that lease', async () => {
    const job = await queuedJob(db, t0);
    const claims = unitClaimsCollection(db);
    await claims.insertOne({ _id: 'mA-u0', machineId: 'mA', jobId: job._id, epoch: 1, claimedAt: t0 });
    await applyJobEvent(db, job._id, { type: 'assign', machineId: 'mA', unitId: 'mA-u0', expiresAt: at(30).getTime() }, at(1));
    // Another job's claim on another unit is not this lease's and stays.
    const other = new ObjectId();
    await claims.insertOne({ _id: 'mA-u1', machineId: 'mA', jobId: other, epoch: 1, claimedAt: t0 });
    const handed = await applyJobEvent(db, job._id, { type: 'hand_back', epoch: 1 }, at(2));
    expect(handed.effects).toEqual([{ type: 'free_unit', machineId: 'mA', unitId: 'mA-u0' }]);
    expect(await claims.find({}).toArray()).toEqual([{ _id: 'mA-u1', machineId: 'mA', jobId: other, epoch: 1, claimedAt: t0 }]);
  });
});

describe('jobTimeline', () => {
  it('answers JOB_NOT_FOUND for an unknown job', async () => {
    expect((await refusal(jobTimeline(db, new ObjectId()))).code).toBe('JOB_NOT_FOUND');
  });
});
