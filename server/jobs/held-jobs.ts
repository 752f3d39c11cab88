import type { Db, ObjectId } from 'mongodb';
import { jobsCollection, unitClaimsCollection } from './collections';
import type { HeldJob } from './runner-protocol';
import { leaseMs } from './schedule-once';

/**
 * Moves a held lease's expiry to now + leaseMs() with one conditional update that leaves the job's
 * version alone: a renewal is not a transition (no jobEvents row per heartbeat), and lease expiry
 * is conditional on leaseExpiresAt still being past (apply-job-event leaseExpiredBy), so a renewal
 * that lands first always wins. $max: an expiry never moves backwards. Answers the job's status, or
 * null when this lease is no longer the job's (taken away, ended).
 */
export async function renewLease(db: Db, jobId: ObjectId, epoch: number, unitId: string, now: Date): Promise<'ASSIGNED' | 'RUNNING' | null> {
  const expiresAt = new Date(now.getTime() + leaseMs());
  const doc = await jobsCollection(db).findOneAndUpdate(
    // leaseEpoch is the current lease's epoch while one is held (it only moves on 'assign').
    { _id: jobId, status: { $in: ['ASSIGNED', 'RUNNING'] }, leaseEpoch: epoch, 'lease.unitId': unitId },
    { $max: { leaseExpiresAt: expiresAt, 'lease.expiresAt': expiresAt.getTime() } },
    { returnDocument: 'after' },
  );
  return doc && (doc.status === 'ASSIGNED' || doc.status === 'RUNNING') ? doc.status : null;
}

/**
 * The leases a machine holds, renewed: its unit claims (one indexed equality read, which answers
 * nothing for an idle machine, so an idle heartbeat reads no job), then each claimed job's renewal.
 * A claim whose job moved on (the scheduler between its two writes, or an orphan) is left out.
 */
export async function renewHeldJobs(db: Db, machineId: string, now: Date): Promise<HeldJob[]> {
  const claims = await unitClaimsCollection(db).find({ machineId }).toArray();
  if (claims.length === 0) return [];
  const renewed = await Promise.all(claims.map(async (claim) => ({ claim, status: await renewLease(db, claim.jobId, claim.epoch, claim._id, now) })));
  return renewed.flatMap(({ claim, status }) => (status ? [{ jobId: claim.jobId.toHexString(), epoch: claim.epoch, unitId: claim._id, status }] : []));
}
