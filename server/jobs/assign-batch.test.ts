import { ObjectId, type Db } from 'mongodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';
import { applyJobEvent } from './apply-job-event';
import { assignBatch } from './assign-batch';
import { jobEventsCollection, jobsCollection, unitClaimsCollection } from './collections';
import { jobTimeline } from './job-events-log';
import { insertMachine, queuedJob } from './testing/fixtures';

let db: Db;
const t0 = new Date('2026-03-01T10:00:00Z');
const GiB = 2 ** 30;

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_assign_batch'));
});

beforeEach(async () => {
  await Promise.all(['jobs', 'jobEvents', 'unitClaims', 'machines'].map((name) => db.collection(name).deleteMany({})));
});

describe('assignBatch', () => {
  it('in one batch: leases the free units, leaves a unit another job holds, and releases the claim of a job that moved on', async () => {
    const m = await insertMachine(db, t0, { gpus: [24 * GiB, 24 * GiB] });
    const [a, b, c] = [await queuedJob(db, t0), await queuedJob(db, t0), await queuedJob(db, t0)];
    // Another scheduler holds unit 1; job c is cancelled after this scheduler read it.
    await unitClaimsCollection(db).insertOne({ _id: m.unitIds[1]!, machineId: m.machineId, jobId: new ObjectId(), epoch: 1, claimedAt: t0 });
    await applyJobEvent(db, c._id, { type: 'cancel' }, t0);
    const expiresAt = t0.getTime() + 30_000;
    const outcomes = await assignBatch(
      db,
      [
        { job: a, machineId: m.machineId, unitId: m.unitIds[0]!, expiresAt },
        { job: b, machineId: m.machineId, unitId: m.unitIds[1]!, expiresAt },
        { job: c, machineId: m.machineId, unitId: m.unitIds[2]!, expiresAt },
      ],
      t0,
    );
    expect(outcomes).toEqual(['assigned', 'unit_taken', 'job_moved']);
    expect(await jobsCollection(db).findOne({ _id: a._id })).toMatchObject({ status: 'ASSIGNED', version: a.version + 1, leaseEpoch: 1, lease: { unitId: m.unitIds[0], epoch: 1, expiresAt }, leaseExpiresAt: new Date(expiresAt) });
    expect(await jobsCollection(db).findOne({ _id: b._id })).toMatchObject({ status: 'ESCROWED', version: b.version });
    expect((await unitClaimsCollection(db).find({}).toArray()).map((x) => x._id).sort()).toEqual([m.unitIds[0], m.unitIds[1]].sort());
    // The escrow_locked event a's document carried until then is logged; the assign is carried now
    // (the timeline shows it) and the next transition logs it with its own.
    const types = async () => (await jobEventsCollection(db).find({ jobId: a._id }).toArray()).map((e) => e.event.type).sort();
    expect(await types()).toEqual(['approve', 'escrow_locked']);
    expect((await jobTimeline(db, a._id)).map((e) => [e.version, e.event.type])).toEqual([[1, 'approve'], [2, 'escrow_locked'], [3, 'assign']]);
    await applyJobEvent(db, a._id, { type: 'start', epoch: 1 }, t0);
    expect(await types()).toEqual(['approve', 'assign', 'escrow_locked', 'start']);
    expect((await jobEventsCollection(db).findOne({ _id: `${a._id.toHexString()}:3` }))?.event).toEqual({ type: 'assign', machineId: m.machineId, unitId: m.unitIds[0], expiresAt });
  });

  it('two schedulers assigning the same jobs to different units: each job is leased once and the loser frees its units', async () => {
    const m = await insertMachine(db, t0, { gpus: [24 * GiB, 24 * GiB, 24 * GiB] });
    const jobs = [await queuedJob(db, t0), await queuedJob(db, t0)];
    const expiresAt = t0.getTime() + 30_000;
    const [x, y] = await Promise.all([
      assignBatch(db, jobs.map((job, i) => ({ job, machineId: m.machineId, unitId: m.unitIds[i]!, expiresAt })), t0),
      assignBatch(db, jobs.map((job, i) => ({ job, machineId: m.machineId, unitId: m.unitIds[i + 2]!, expiresAt })), t0),
    ]);
    const assigned = [...x, ...y].filter((o) => o === 'assigned').length;
    expect(assigned).toBe(2);
    const leased = await jobsCollection(db).find({ status: 'ASSIGNED' }).toArray();
    const claims = await unitClaimsCollection(db).find({}).toArray();
    expect(claims.map((c) => [c._id, c.jobId.toHexString()]).sort()).toEqual(leased.map((j) => [j.lease!.unitId, j._id.toHexString()]).sort());
  });
  it('writes a batch of 60 assigns, past the 50 statements one FerretDB v1 update command can hold (it never answered), and leases every job', async () => {
    const machines = await Promise.all(Array.from({ length: 12 }, () => insertMachine(db, t0, { gpus: [24 * GiB, 24 * GiB, 24 * GiB, 24 * GiB] })));
    const units = machines.flatMap((m) => m.unitIds.map((unitId) => ({ machineId: m.machineId, unitId })));
    const jobs = await Promise.all(Array.from({ length: 60 }, () => queuedJob(db, t0)));
    const expiresAt = t0.getTime() + 30_000;
    const outcomes = await assignBatch(db, jobs.map((job, i) => ({ job, ...units[i]!, expiresAt })), t0);
    expect(outcomes).toEqual(jobs.map(() => 'assigned'));
    const leased = await jobsCollection(db).find({ status: 'ASSIGNED' }).toArray();
    expect(leased.map((j) => [j._id.toHexString(), j.lease!.unitId]).sort()).toEqual(jobs.map((j, i) => [j._id.toHexString(), units[i]!.unitId]).sort());
    expect(await unitClaimsCollection(db).countDocuments({})).toBe(60);
  });
});
