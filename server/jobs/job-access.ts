import type { Db, ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error';
import { modelRole } from '../models/access';
import { parseJobId } from './apply-job-event';
import { jobsCollection, type JobDoc } from './collections';
import { jobNotFound } from './job-errors';

/**
 * A job the caller may see ('view': its owner, or anyone on its model's access list) or cancel
 * ('cancel': its owner, or the model's owner and editors). Anyone else gets the same JOB_NOT_FOUND
 * as for a job that does not exist, so ids cannot be probed; a viewer asking to cancel is told why not.
 */
export async function requireJob(db: Db, jobId: string, userId: ObjectId, needed: 'view' | 'cancel'): Promise<JobDoc> {
  const job = await jobsCollection(db).findOne({ _id: parseJobId(jobId) });
  if (!job) throw jobNotFound();
  if (job.ownerId.equals(userId)) return job;
  const role = await modelRole(db, job.modelId.toHexString(), userId.toHexString());
  if (!role) throw jobNotFound();
  if (needed === 'cancel' && role === 'viewer') throw new AppError('FORBIDDEN', 'JOB_ROLE_TOO_LOW', "Viewers cannot cancel a model's jobs; ask its owner or an editor.");
  return job;
}
