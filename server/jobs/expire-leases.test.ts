import { ObjectId, type Db } from 'mongodb';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../errors/app-error';
import { useTestDatabase } from '../testing/test-db';
import { applyJobEvent } from './apply-job-event';
import { jobEventsCollection, jobsCollection, unitClaimsCollection } from './collections';
import { expireLeases } from './expire-leases';
import { MAX_ATTEMPTS } from './job-machine';
import { LEASE_MS, scheduleOnce } from './schedule-once';
import { machinesCollection } from '../machines/collections';
import { insertMachine, queuedJob } from './testing/fixtures';

let db: Db;
const t0 = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_expire'));
});

beforeEach(async () => {
  await Promise.all(['jobs', 'jobEvents', 'unitClaims', 'machines'].map((name) => db.collection(name).deleteMany({})));
});

describe('expireLeases', () => {
  it('requeues a job whose lease ran out, excludes the machine, records the slash and frees the unit; the next pass picks another machine', async () => {
    const first = await insertMachine(db, t0, { gpus: [24 * 2 ** 30], pricePerHourMicro: '100' });
    const job = await queuedJob(db, t0);
    const [assigned] = (await scheduleOnce(db, t0)).assigned;
    expect(assigned!.machineId).toBe(first.machineId);
    await applyJobEvent(db, job._id, { type: 'start', epoch: 1 }, at(1000));

    expect(await expireLeases(db, at(LEASE_MS - 1))).toEqual([]);
    const expired = await expireLeases(db, at(LEASE_MS));
    expect(expired).toEqual([
      {
        jobId: job._id.toHexString(),
        machineId: first.machineId,
        unitId: assigned!.unitId,
        epoch: 1,
        version: 5,
        status: 'ESCROWED',
        effects: [
          { type: 'slash', machineId: first.machineId, reason: 'timeout' },
          { type: 'record_result', machineId: first.machineId, success: false },
          { type: 'free_unit', machineId: first.machineId, unitId: assigned!.unitId },
        ],
      },
    ]);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ESCROWED', lease: null, leaseExpiresAt: null, excludedMachines: [first.machineId], leaseEpoch: 1 });
    const logged = await jobEventsCollection(db).findOne({ jobId: job._id, version: 5 });
    expect([logged?.event, logged?.effects]).toEqual([{ type: 'lease_expired', epoch: 1 }, expired[0]!.effects]);
    expect(await unitClaimsCollection(db).countDocuments({})).toBe(0);

    // The machine that timed out is online again and cheapest, but it is not offered the job again.
    await db.collection('machines').updateMany({}, { $set: { lastSeenAt: at(LEASE_MS) } });
    const passed = await scheduleOnce(db, at(LEASE_MS + 1));
    expect(passed.assigned).toEqual([]);
    expect(passed.waiting).toEqual([{ jobId: job._id.toHexString(), why: 'No unit can take this job: 2 MACHINE_EXCLUDED.' }]);
    const second = await insertMachine(db, at(LEASE_MS + 1), { gpus: [24 * 2 ** 30], pricePerHourMicro: '900' });
    const again = await scheduleOnce(db, at(LEASE_MS + 2));
    expect(again.assigned.map((a) => [a.machineId, a.epoch])).toEqual([[second.machineId, 2]]);
    // The late machine comes back with its old epoch and is refused.
    const late = await applyJobEvent(db, job._id, { type: 'progress', epoch: 1 }, at(LEASE_MS + 3)).catch((e: unknown) => e as AppError);
    expect(late).toMatchObject({ code: 'STALE_LEASE_EPOCH' });
  });

  it('leaves a lease that was renewed in time, and expires it once the renewal runs out', async () => {
    await insertMachine(db, t0);
    const job = await queuedJob(db, t0);
    await scheduleOnce(db, t0);
    await applyJobEvent(db, job._id, { type: 'renew', epoch: 1, expiresAt: at(2 * LEASE_MS).getTime() }, at(LEASE_MS - 5));
    expect(await expireLeases(db, at(LEASE_MS + 1))).toEqual([]);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ASSIGNED', leaseExpiresAt: at(2 * LEASE_MS) });
    expect((await expireLeases(db, at(2 * LEASE_MS))).map((e) => e.jobId)).toEqual([job._id.toHexString()]);
  });

  it('keeps a lease while its machine beats (leasesUntil), catching the job\'s expiry up; expires it once the machine falls silent', async () => {
    const m = await insertMachine(db, t0);
    const job = await queuedJob(db, t0);
    await scheduleOnce(db, t0);
    // The machine's heartbeat renewed its leases (recordHeartbeat sets leasesUntil in its one write).
    await machinesCollection(db).updateOne({ _id: new ObjectId(m.machineId) }, { $set: { leasesUntil: at(LEASE_MS + 10_000) } });
    expect(await expireLeases(db, at(LEASE_MS))).toEqual([]);
    expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ASSIGNED', version: job.version + 1, leaseExpiresAt: at(LEASE_MS + 10_000), lease: { expiresAt: at(LEASE_MS + 10_000).getTime() } });
    // Caught up: not a candidate again until then.
    expect(await expireLeases(db, at(LEASE_MS + 9_999))).toEqual([]);
    const expired = await expireLeases(db, at(LEASE_MS + 10_000));
    expect(expired.map((e) => [e.jobId, e.machineId, e.status])).toEqual([[job._id.toHexString(), m.machineId, 'ESCROWED']]);
    expect(await unitClaimsCollection(db).countDocuments({})).toBe(0);
  });

  it('fails the job for good once MAX_ATTEMPTS machines lost it', async () => {
    for (let i = 0; i < MAX_ATTEMPTS + 1; i++) await insertMachine(db, t0);
    const job = await queuedJob(db, t0);
    let now = t0.getTime();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      // The machines stay online through every attempt (their heartbeats are simulated by re-dating them).
      await db.collection('machines').updateMany({}, { $set: { lastSeenAt: new Date(now) } });
      expect((await scheduleOnce(db, new Date(now))).assigned.map((a) => a.epoch)).toEqual([attempt]);
      now += LEASE_MS;
      const [expired] = await expireLeases(db, new Date(now));
      expect(expired!.status).toBe(attempt < MAX_ATTEMPTS ? 'ESCROWED' : 'FAILED');
    }
    const stored = await jobsCollection(db).findOne({ _id: job._id });
    expect(stored).toMatchObject({ status: 'FAILED', escrowed: true });
    expect(stored!.excludedMachines).toHaveLength(MAX_ATTEMPTS);
    expect(stored!.failureReason).toMatch(/lease expired; 3 machines failed this job/);
  });

  it('expires each lease once when two processes race', async () => {
    for (let i = 0; i < 4; i++) await insertMachine(db, t0);
    for (let i = 0; i < 4; i++) await queuedJob(db, t0);
    expect((await scheduleOnce(db, t0)).assigned).toHaveLength(4);
    const [a, b] = await Promise.all([expireLeases(db, at(LEASE_MS)), expireLeases(db, at(LEASE_MS))]);
    expect(a.length + b.length).toBe(4);
    expect(new Set([...a, ...b].map((e) => e.jobId)).size).toBe(4);
    expect(await jobEventsCollection(db).countDocuments({ 'event.type': 'lease_expired' })).toBe(4);
  });
});
