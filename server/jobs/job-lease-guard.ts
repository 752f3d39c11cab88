import type { Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { parseJobId } from './apply-job-event';
import { jobsCollection, type JobDoc } from './collections';
import { jobNotFound } from './job-errors';

export function jobNotHeld(jobId: string): AppError {
  return new AppError('CONFLICT', 'JOB_NOT_HELD', `This machine does not hold job ${jobId} (it was cancelled, finished or given to another machine); stop it and drop its work.`, 'jobId');
}

export function staleEpoch(epoch: number, current: number): AppError {
  return new AppError('CONFLICT', 'STALE_LEASE_EPOCH', `Lease epoch ${epoch} is stale; the job is on epoch ${current}. Stop it and drop its work.`, 'epoch');
}

/** The job as stored, when its current lease is this machine's with this epoch; else the refusal the runner stops on. */
export async function requireHeldJob(db: Db, machineId: string, jobId: string, epoch: number): Promise<JobDoc & { lease: NonNullable<JobDoc['lease']> }> {
  const job = await jobsCollection(db).findOne({ _id: parseJobId(jobId) });
  if (!job) throw jobNotFound();
  return checkHeld(job, machineId, epoch);
}

export function checkHeld(job: JobDoc, machineId: string, epoch: number): JobDoc & { lease: NonNullable<JobDoc['lease']> } {
  const { lease } = job;
  if (!lease || (job.status !== 'ASSIGNED' && job.status !== 'RUNNING') || lease.machineId !== machineId) throw jobNotHeld(job._id.toHexString());
  if (lease.epoch !== epoch) throw staleEpoch(epoch, lease.epoch);
  return { ...job, lease };
}
