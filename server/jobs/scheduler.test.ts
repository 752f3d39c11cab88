import { ObjectId, type Db } from 'mongodb';
import { beforeEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';
import { applyJobEvent } from './apply-job-event';
import { jobEventsCollection, jobsCollection, unitClaimsCollection, type JobDoc } from './collections';
import { explainJob } from './explain-job';
import { jobTimeline } from './job-events-log';
import { loadSchedulableUnits } from './schedulable-units';
import { LEASE_MS, scheduleOnce } from './schedule-once';
import { insertMachine, queuedJob } from './testing/fixtures';
import { claimUnit, ORPHAN_CLAIM_GRACE_MS, releaseOrphanClaims, releaseUnit } from './unit-claims';

let db: Db;
const t0 = new Date('2026-03-01T10:00:00Z');
const GiB = 2 ** 30;

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_scheduler'));
});

beforeEach(async () => {
  await Promise.all(['jobs', 'jobEvents', 'unitClaims', 'machines'].map((name) => db.collection(name).deleteMany({})));
});

/** Every stored job that holds a lease, and every claim: the invariants the scheduler keeps. */
async function leasesAndClaims() {
  const leased = await jobsCollection(db).find({ status: 'ASSIGNED' }).toArray();
  const claims = await unitClaimsCollection(db).find({}).toArray();
  return { leased, claims };
}

describe('scheduleOnce', () => {
  it('leases a queued job to its best unit: epoch 1, expiry now + LEASE_MS, the unit claimed, the event logged', async () => {
    const slow = await insertMachine(db, t0, { gpus: [], cpuRamBytes: 64 * GiB });
    const fast = await insertMachine(db, t0, { gpus: [24 * GiB] });
    const job = await queuedJob(db, t0, { requirements: { device: 'cpu', minVramBytes: 4 * GiB } });
    // Three units can take the CPU job; the GPU scores highest on its (estimated) speed but is left
    // for GPU jobs while a CPU unit is free, and of the two CPUs the one with 32 GiB fits the 4 GiB
    // job more tightly than the one with 64.
    const before = await explainJob(db, job._id.toHexString(), t0);
    expect(before.candidates.map((c) => c.unitId)).toEqual([fast.unitIds[1], slow.unitIds[0], fast.unitIds[0]]);
    expect(before.why).toMatch(/won with [\d.]+ against [\d.]+ for .*: ahead on memory/);
    const cpu = fast.unitIds[1]!;
    const result = await scheduleOnce(db, t0);
    expect(result).toEqual({ assigned: [{ jobId: job._id.toHexString(), machineId: fast.machineId, unitId: cpu, epoch: 1, expiresAt: t0.getTime() + LEASE_MS, score: expect.any(Number), assignedAt: expect.any(Number) }], waiting: [], lostRaces: 0 });
    const stored = await jobsCollection(db).findOne({ _id: job._id });
    expect(stored).toMatchObject({ status: 'ASSIGNED', leaseEpoch: 1, lease: { machineId: fast.machineId, unitId: cpu, epoch: 1, expiresAt: t0.getTime() + LEASE_MS }, leaseExpiresAt: new Date(t0.getTime() + LEASE_MS), leaseMachineId: fast.machineId });
    expect(await unitClaimsCollection(db).find({}).toArray()).toEqual([{ _id: cpu, machineId: fast.machineId, jobId: job._id, epoch: 1, claimedAt: t0 }]);
    // The job document carries the assign event until its next transition logs it (assign-batch.ts).
    expect((await jobTimeline(db, job._id)).at(-1)).toMatchObject({ version: 3, event: { type: 'assign', machineId: fast.machineId, unitId: cpu, expiresAt: t0.getTime() + LEASE_MS } });
    // Nothing is left to do: a second pass changes nothing.
    expect(await scheduleOnce(db, t0)).toEqual({ assigned: [], waiting: [], lostRaces: 0 });
  });

  it('gives each unit one job: the rest wait, oldest first, until a unit is given back', async () => {
    const m = await insertMachine(db, t0, { gpus: [24 * GiB, 24 * GiB], offer: [0, 1] });
    const jobs: JobDoc[] = [];
    for (let i = 0; i < 3; i++) jobs.push(await queuedJob(db, new Date(t0.getTime() + i * 1000)));
    const first = await scheduleOnce(db, new Date(t0.getTime() + 5000));
    expect(first.assigned.map((a) => a.jobId).sort()).toEqual([jobs[0]!, jobs[1]!].map((j) => j._id.toHexString()).sort());
    expect(new Set(first.assigned.map((a) => a.unitId))).toEqual(new Set(m.unitIds.slice(0, 2)));
    expect(first.waiting).toEqual([{ jobId: jobs[2]!._id.toHexString(), why: 'Every compute unit is busy or unavailable.' }]);
    // The first job's runner stops cleanly: its unit is free again and the waiting job gets it.
    const held = first.assigned.find((a) => a.jobId === jobs[0]!._id.toHexString())!;
    await applyJobEvent(db, jobs[0]!._id, { type: 'hand_back', epoch: 1 }, new Date(t0.getTime() + 6000));
    const second = await scheduleOnce(db, new Date(t0.getTime() + 7000));
    // The handed-back job queued before the third one, so it keeps its place and goes first.
    expect(second.assigned.map((a) => [a.jobId, a.unitId, a.epoch])).toEqual([[jobs[0]!._id.toHexString(), held.unitId, 2]]);
    expect(second.waiting.map((w) => w.jobId)).toEqual([jobs[2]!._id.toHexString()]);
  });

  it('never offers a machine the job failed on, nor one over its price cap', async () => {
    const failed = await insertMachine(db, t0, { gpus: [80 * GiB], pricePerHourMicro: '100' });
    await insertMachine(db, t0, { gpus: [80 * GiB], pricePerHourMicro: '3000001' });
    const job = await queuedJob(db, t0, { priceCapMicro: '3000000' });
    await applyJobEvent(db, job._id, { type: 'assign', machineId: failed.machineId, unitId: failed.unitIds[0]!, expiresAt: t0.getTime() + 1 }, t0);
    await applyJobEvent(db, job._id, { type: 'fail', epoch: 1, reason: 'crashed' }, t0);
    const result = await scheduleOnce(db, t0);
    expect(result.assigned).toEqual([]);
    expect(result.waiting).toEqual([{ jobId: job._id.toHexString(), why: expect.stringMatching(/^No unit can take this job: .*MACHINE_EXCLUDED.*OVER_PRICE_CAP/) }]);
    // At the cap exactly, a machine qualifies.
    const fair = await insertMachine(db, t0, { gpus: [80 * GiB], pricePerHourMicro: '3000000' });
    expect((await scheduleOnce(db, t0)).assigned.map((a) => a.machineId)).toEqual([fair.machineId]);
  });

  it('passes over offline, maintenance, removed and paused machines, units too small and CPUs for a GPU job', async () => {
    const late = new Date(t0.getTime() + 60_000);
    await insertMachine(db, late, { lastSeenAt: t0 }); // silent for a minute: offline
    await insertMachine(db, late, { maintenance: true });
    await insertMachine(db, late, { removedAt: t0 });
    await insertMachine(db, late, { offer: [1] }); // its GPU paused, only the CPU offered
    await insertMachine(db, late, { gpus: [8 * GiB] });
    const job = await queuedJob(db, late, { requirements: { device: 'gpu', minVramBytes: 16 * GiB } });
    const result = await scheduleOnce(db, late);
    expect(result.assigned).toEqual([]);
    expect(result.waiting[0]!.jobId).toBe(job._id.toHexString());
    // The pass weighs only units open to any job; the explanation weighs them all.
    expect(result.waiting[0]!.why).toBe('No unit can take this job: 2 DEVICE_MISMATCH, 1 NOT_ENOUGH_MEMORY (5 more are busy or unavailable).');
    const explained = await explainJob(db, job._id.toHexString(), late);
    expect(explained.why).toBe('No unit can take this job: 2 MACHINE_OFFLINE, 2 MACHINE_MAINTENANCE, 1 UNIT_PAUSED, 2 DEVICE_MISMATCH, 1 NOT_ENOUGH_MEMORY.');
    expect(explained.candidates).toHaveLength(8); // four machines of two units: the removed one's are not candidates at all
    const ok = await insertMachine(db, late, { gpus: [16 * GiB] });
    expect((await scheduleOnce(db, late)).assigned.map((a) => a.unitId)).toEqual([ok.unitIds[0]]);
  });

  it('two schedulers racing over 30 jobs and 10 units assign 10 jobs, none twice, and no unit holds two', async () => {
    for (let i = 0; i < 5; i++) await insertMachine(db, t0, { gpus: [24 * GiB], pricePerHourMicro: String(1_000_000 + i) });
    const queue: JobDoc[] = [];
    for (let i = 0; i < 30; i++) queue.push(await queuedJob(db, new Date(t0.getTime() + i), { requirements: { device: 'cpu', minVramBytes: 0 } }));
    const [a, b] = await Promise.all([scheduleOnce(db, t0), scheduleOnce(db, t0)]);
    const assigned = [...a.assigned, ...b.assigned];
    expect(assigned).toHaveLength(10);
    expect(new Set(assigned.map((x) => x.jobId)).size).toBe(10);
    expect(new Set(assigned.map((x) => x.unitId)).size).toBe(10);
    const { leased, claims } = await leasesAndClaims();
    expect(leased).toHaveLength(10);
    expect(new Set(leased.map((j) => j.lease!.unitId)).size).toBe(10);
    // Every claim is a lease's and every lease has its claim: nothing left over from the lost races.
    expect(claims.map((c) => [c._id, c.jobId.toHexString(), c.epoch]).sort()).toEqual(leased.map((j) => [j.lease!.unitId, j._id.toHexString(), j.lease!.epoch]).sort());
    expect(leased.every((j) => j.version === 3 && j.leaseEpoch === 1)).toBe(true);
    expect(await jobsCollection(db).countDocuments({ status: 'ESCROWED' })).toBe(20);
    // One assign event per assigned job (carried by its document until the next transition logs it), none for the others.
    const lastEvents = await Promise.all((await jobsCollection(db).find({}).toArray()).map(async (j) => (await jobTimeline(db, j._id)).at(-1)!));
    expect(lastEvents.filter((e) => e.event.type === 'assign' && e.version === 3)).toHaveLength(10);
    expect(await jobEventsCollection(db).countDocuments({ version: 3 })).toBe(0);
    // The jobs left are the newest 20: neither scheduler skipped an older job for a newer one.
    const left = (await jobsCollection(db).find({ status: 'ESCROWED' }).toArray()).map((j) => j._id.toHexString()).sort();
    expect(left).toEqual(queue.slice(10).map((j) => j._id.toHexString()).sort());
  });

  it('explains the units it loads, including who holds each', async () => {
    const m = await insertMachine(db, t0, { gpus: [24 * GiB] });
    const job = await queuedJob(db, t0);
    await scheduleOnce(db, t0);
    const units = await loadSchedulableUnits(db, t0);
    expect(units.map((u) => [u.unitId, u.kind, u.heldBy, u.machineBusyUnits, u.machineActiveUnits, u.machineStatus])).toEqual([
      [m.unitIds[0], 'gpu', job._id.toHexString(), 1, 2, 'online'],
      [m.unitIds[1], 'cpu', null, 1, 2, 'online'],
    ]);
  });
});

describe('claimUnit and releaseUnit', () => {
  it('give a unit to one job at a time, and release only the claim of that job and epoch', async () => {
    const [a, b] = [new ObjectId(), new ObjectId()];
    const claim = (jobId: ObjectId) => claimUnit(db, { _id: 'm-u0', machineId: 'm', jobId, epoch: 1, claimedAt: t0 });
    // Racing claims: exactly one wins, whichever the database takes first.
    const won = await Promise.all([claim(a), claim(b)]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = won[0] ? [a, b] : [b, a];
    expect(await releaseUnit(db, 'm-u0', loser, 1)).toBe(false);
    expect(await releaseUnit(db, 'm-u0', winner, 2)).toBe(false);
    expect(await releaseUnit(db, 'm-u0', winner, 1)).toBe(true);
    expect(await claim(loser)).toBe(true);
  });
});

describe('explainJob', () => {
  it('answers JOB_NOT_FOUND for an unknown job', async () => {
    await expect(explainJob(db, new ObjectId().toHexString(), t0)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    await expect(explainJob(db, 'nope', t0)).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});

describe('releaseOrphanClaims', () => {
  it('frees units whose claim no lease holds once the grace has passed, and keeps live and young ones', async () => {
    const m = await insertMachine(db, t0, { gpus: [24 * GiB, 24 * GiB, 24 * GiB] });
    const live = await queuedJob(db, t0);
    await scheduleOnce(db, t0); // a real lease on unit 0 (the only job queued)
    const moved = await queuedJob(db, t0);
    const claims = unitClaimsCollection(db);
    // A scheduler that died between claiming unit 1 and assigning; a job that moved on without freeing unit 2.
    await claims.insertOne({ _id: m.unitIds[1]!, machineId: m.machineId, jobId: new ObjectId(), epoch: 1, claimedAt: t0 });
    await claims.insertOne({ _id: m.unitIds[2]!, machineId: m.machineId, jobId: moved._id, epoch: 1, claimedAt: t0 });
    expect(await releaseOrphanClaims(db, new Date(t0.getTime() + ORPHAN_CLAIM_GRACE_MS - 1))).toEqual([]);
    const released = await releaseOrphanClaims(db, new Date(t0.getTime() + ORPHAN_CLAIM_GRACE_MS));
    expect(released.sort()).toEqual([m.unitIds[1], m.unitIds[2]].sort());
    expect((await claims.find({}).toArray()).map((c) => [c._id, c.jobId.toHexString()])).toEqual([[m.unitIds[0], live._id.toHexString()]]);
  });
});
