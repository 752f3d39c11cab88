import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { bulkUpdate } from '../db/bulk-update';
import { AppError } from '../errors/app-error';
import { applyJobEvent } from './apply-job-event';
import { jobsCollection, type JobDoc } from './collections';
import { machinesLeasesUntil } from './held-jobs';
import type { JobEffect, JobStatus } from './job-machine';

export interface ExpiredLease {
  jobId: string;
  machineId: string;
  unitId: string;
  epoch: number;
  /** The job's version after the expiry: its effects are keyed by it (effects.ts). */
  version: number;
  /** ESCROWED (back in the queue, that machine excluded) or FAILED (the retry limit). */
  status: JobStatus;
  /** The slash, the failed result and the freed unit: recorded in jobEvents; the ledger step pays them out. */
  effects: readonly JobEffect[];
}

/**
 * Every ASSIGNED or RUNNING job whose lease ran out takes 'lease_expired' (the timeout: the job
 * machine excludes the machine, answers a 10% slash, and requeues or fails the job). A lease has
 * run out when the job's own leaseExpiresAt (the assign's, moved by progress reports) has passed
 * AND its machine's leasesUntil (moved by every heartbeat, server/jobs/held-jobs.ts) has too.
 *
 * The candidates are the jobs past their own expiry (status equality plus a range on a top-level
 * field); their machines are read by _id. A job whose machine is still beating gets its own expiry
 * caught up to the machine's (one $max each, UPDATES_PER_COMMAND to a command), so it is not read
 * again for a lease length: a job costs one such write per lease length, not one per heartbeat.
 * The others are expired, each conditional on the version that was judged expired and on
 * leaseExpiresAt still being past, so a progress report that lands meanwhile wins and the job is
 * left alone; running this in several processes at once expires each lease once. A heartbeat
 * landing between the machine read and the expiry's write can still answer the lease just taken:
 * its runner's next call is refused (JOB_NOT_HELD / STALE_LEASE_EPOCH) and the next beat drops it.
 */
export async function expireLeases(db: Db, now: Date): Promise<ExpiredLease[]> {
  const statuses: JobStatus[] = ['ASSIGNED', 'RUNNING'];
  const found = await Promise.all(
    statuses.map((status) => jobsCollection(db).find({ status, leaseExpiresAt: { $lte: now } }, { projection: { version: 1, leaseEpoch: 1, lease: 1, leaseExpiresAt: 1 } }).toArray()),
  );
  const candidates = found.flat().filter((job) => job.lease && job.lease.expiresAt <= now.getTime());
  if (candidates.length === 0) return [];
  const leasesUntil = await machinesLeasesUntil(db, candidates.map((job) => job.lease!.machineId));
  const catchUp: AnyBulkWriteOperation<JobDoc>[] = [];
  const expired: ExpiredLease[] = [];
  for (const job of candidates) {
    const lease = job.lease!;
    const until = leasesUntil.get(lease.machineId) ?? null;
    if (until && until.getTime() > now.getTime()) {
      catchUp.push({ updateOne: { filter: { _id: job._id, leaseEpoch: lease.epoch }, update: { $max: { leaseExpiresAt: until, 'lease.expiresAt': until.getTime() } } } });
      continue;
    }
    try {
      const applied = await applyJobEvent(db, job._id, { type: 'lease_expired', epoch: lease.epoch }, now, { expectedVersion: job.version, leaseExpiredBy: now });
      expired.push({ jobId: job._id.toHexString(), machineId: lease.machineId, unitId: lease.unitId, epoch: lease.epoch, version: applied.job.version, status: applied.job.status, effects: applied.effects });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Renewed, completed or expired by another process since it was read: nothing to do.
    }
  }
  await bulkUpdate(jobsCollection(db), catchUp);
  return expired;
}
