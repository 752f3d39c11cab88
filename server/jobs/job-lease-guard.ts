import { ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { machinesCollection } from '../machines/collections';
import { parseJobId } from './apply-job-event';
import { jobsCollection, type JobDoc } from './collections';
import { jobNotFound } from './job-errors';

export function jobNotHeld(jobId: string): AppError {
  return new AppError('CONFLICT', 'JOB_NOT_HELD', `This machine does not hold job ${jobId} (it was cancelled, finished or given to another machine); stop it and drop its work.`, 'jobId');
}

export function staleEpoch(epoch: number, current: number): AppError {
  return new AppError('CONFLICT', 'STALE_LEASE_EPOCH', `Lease epoch ${epoch} is stale; the job is on epoch ${current}. Stop it and drop its work.`, 'epoch');
}

/** A banned machine's reports are refused with this (409, so a runner drops the job as a lost lease). */
export function machineBanned(): AppError {
  return new AppError('CONFLICT', 'MACHINE_BANNED', 'This machine is banned by an administrator: its jobs went back to the queue and it cannot report, upload or be paid. Stop the job and drop its work.');
}

/**
 * The job as stored, when its current lease is this machine's with this epoch; else the refusal the
 * runner stops on. A refusal of a banned machine (its jobs were taken back at the ban) says
 * MACHINE_BANNED instead: the machine's read is paid only on that path.
 */
export async function requireHeldJob(db: Db, machineId: string, jobId: string, epoch: number): Promise<JobDoc & { lease: NonNullable<JobDoc['lease']> }> {
  const job = await jobsCollection(db).findOne({ _id: parseJobId(jobId) });
  if (!job) throw jobNotFound();
  try {
    return checkHeld(job, machineId, epoch);
  } catch (error) {
    await requireNotBanned(db, machineId);
    throw error;
  }
}

/**
 * For the calls that pay (a checkpoint's share, a completion): a banned machine is refused even
 * while it still holds a lease (a scheduler pass that read the fleet before the ban could give it
 * one after the ban took its jobs back). The runner drops the job as lost and hands it back.
 */
export async function requireNotBanned(db: Db, machineId: string): Promise<void> {
  if (ObjectId.isValid(machineId) && (await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }, { projection: { bannedAt: 1 } }))?.bannedAt) throw machineBanned();
}

export function checkHeld(job: JobDoc, machineId: string, epoch: number): JobDoc & { lease: NonNullable<JobDoc['lease']> } {
  const { lease } = job;
  if (!lease || (job.status !== 'ASSIGNED' && job.status !== 'RUNNING') || lease.machineId !== machineId) throw jobNotHeld(job._id.toHexString());
  if (lease.epoch !== epoch) throw staleEpoch(epoch, lease.epoch);
  return { ...job, lease };
}
