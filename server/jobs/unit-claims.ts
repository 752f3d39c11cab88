import type { Db, ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { jobsCollection, unitClaimsCollection, type UnitClaimDoc } from './collections';

/**
 * A claim older than this whose job's lease does not name it is an orphan: its job moved on and
 * the process that should have released it died, or a scheduler died between claiming the unit and
 * assigning the job. A younger one may be a scheduler between those two writes, so it is left; a
 * scheduler stalled longer than this between them could see its unit given away (it is far longer
 * than any lease, past which the job would have been taken from it anyway).
 */
export const ORPHAN_CLAIM_GRACE_MS = 5 * 60_000;

/** Takes a unit for a job: false when another job holds it (the insert's unique _id is the condition). */
export async function claimUnit(db: Db, claim: UnitClaimDoc): Promise<boolean> {
  try {
    await unitClaimsCollection(db).insertOne(claim);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Gives a unit back, only if this job still holds it with this epoch (a later claim is never removed). */
export async function releaseUnit(db: Db, unitId: string, jobId: ObjectId, epoch: number): Promise<boolean> {
  const result = await unitClaimsCollection(db).deleteOne({ _id: unitId, jobId, epoch });
  return result.deletedCount === 1;
}

/**
 * Releases claims no job holds any more (see ORPHAN_CLAIM_GRACE_MS): a claim is live while its job
 * is ASSIGNED or RUNNING on a lease naming the same unit and epoch. Answers the unit ids released.
 * It reads every claim and their jobs by _id $in (which FerretDB v1 may scan), so the scheduler
 * loop runs it now and then, not on every pass.
 */
export async function releaseOrphanClaims(db: Db, now: Date, graceMs = ORPHAN_CLAIM_GRACE_MS): Promise<string[]> {
  const cutoff = now.getTime() - graceMs;
  const claims = (await unitClaimsCollection(db).find({}).toArray()).filter((c) => c.claimedAt.getTime() <= cutoff);
  if (claims.length === 0) return [];
  const jobs = await jobsCollection(db)
    .find({ _id: { $in: claims.map((c) => c.jobId) } }, { projection: { status: 1, lease: 1 } })
    .toArray();
  const byId = new Map(jobs.map((j) => [j._id.toHexString(), j]));
  const released: string[] = [];
  for (const claim of claims) {
    const job = byId.get(claim.jobId.toHexString());
    const held = job && (job.status === 'ASSIGNED' || job.status === 'RUNNING') && job.lease?.unitId === claim._id && job.lease.epoch === claim.epoch;
    if (!held && (await releaseUnit(db, claim._id, claim.jobId, claim.epoch))) released.push(claim._id);
  }
  return released;
}
