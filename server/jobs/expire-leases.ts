import type { Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { applyJobEvent } from './apply-job-event';
import { jobsCollection } from './collections';
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
 * machine excludes the machine, answers a 10% slash, and requeues or fails the job). Each is
 * conditional on the version that was judged expired and on leaseExpiresAt still being past, so a
 * renewal that lands meanwhile (a heartbeat or a progress report, which move only the expiry) wins
 * and the job is left alone; running this in several processes at once expires each lease once.
 */
export async function expireLeases(db: Db, now: Date): Promise<ExpiredLease[]> {
  const statuses: JobStatus[] = ['ASSIGNED', 'RUNNING'];
  const found = await Promise.all(statuses.map((status) => jobsCollection(db).find({ status, leaseExpiresAt: { $lte: now } }).toArray()));
  const expired: ExpiredLease[] = [];
  for (const job of found.flat()) {
    const lease = job.lease;
    if (!lease || lease.expiresAt > now.getTime()) continue;
    try {
      const applied = await applyJobEvent(db, job._id, { type: 'lease_expired', epoch: lease.epoch }, now, { expectedVersion: job.version, leaseExpiredBy: now });
      expired.push({ jobId: job._id.toHexString(), machineId: lease.machineId, unitId: lease.unitId, epoch: lease.epoch, version: applied.job.version, status: applied.job.status, effects: applied.effects });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Renewed, completed or expired by another process since it was read: nothing to do.
    }
  }
  return expired;
}
