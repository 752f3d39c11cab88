import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';
import { jobsCollection } from './collections';
import { LEASE_MS } from './schedule-once';
import { startSchedulerLoop } from './scheduler-loop';
import { insertMachine, queuedJob } from './testing/fixtures';

let db: Db;
const t0 = new Date('2026-03-01T10:00:00Z');

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_loop'));
});

describe('startSchedulerLoop', () => {
  it('runs a pass when poked: expired leases first, then the queue, so a timed-out job moves to another machine in one pass', async () => {
    let clock = t0;
    // An hour between timer passes: only pokes run passes in this test.
    const loop = startSchedulerLoop(db, { intervalMs: 3_600_000, now: () => clock });
    try {
      const first = await insertMachine(db, t0, { pricePerHourMicro: '1' });
      const job = await queuedJob(db, t0);
      const pass1 = await loop.poke();
      expect(pass1.scheduled.assigned.map((a) => a.machineId)).toEqual([first.machineId]);
      expect(pass1.expired).toEqual([]);

      clock = new Date(t0.getTime() + LEASE_MS);
      const second = await insertMachine(db, clock, { pricePerHourMicro: '2' });
      await db.collection('machines').updateMany({}, { $set: { lastSeenAt: clock } });
      // Two pokes while one pass may be running are answered, and the job is placed once.
      const [a, b] = await Promise.all([loop.poke(), loop.poke()]);
      const expired = [...a.expired, ...b.expired];
      expect(expired.map((e) => e.machineId)).toEqual([first.machineId]);
      expect([...a.scheduled.assigned, ...b.scheduled.assigned].map((x) => [x.machineId, x.epoch])).toEqual([[second.machineId, 2]]);
      expect(await jobsCollection(db).findOne({ _id: job._id })).toMatchObject({ status: 'ASSIGNED', excludedMachines: [first.machineId], lease: { machineId: second.machineId, epoch: 2 } });
    } finally {
      await loop.stop();
    }
  });
});
