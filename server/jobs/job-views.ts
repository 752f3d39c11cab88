import type { Db, ObjectId } from 'mongodb';
import { requireModel } from '../models/access';
import { jobsCollection, type JobDoc } from './collections';
import type { JobStatus } from './job-machine';

/** The most jobs a list answers, newest first. */
export const JOB_LIST_LIMIT = 100;

export interface JobView {
  id: string;
  modelId: string;
  ownerId: string;
  datasetId: string | null;
  status: JobStatus;
  /**
   * Fraction done: 1 once completed, null before (runners do not report progress yet; the live
   * progress stream is a later step).
   */
  progress: number | null;
  /** µCYX: what the escrow locked (the approved quote), released from it (provider + fee) and refunded. */
  quotedMicro: string;
  paidMicro: string;
  refundedMicro: string;
  machineId: string | null;
  requirements: JobDoc['requirements'];
  priceCapMicro: string;
  config: JobDoc['config'];
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

const DONE: readonly JobStatus[] = ['COMPLETED', 'PAYMENT_RELEASED'];

export function jobView(job: JobDoc): JobView {
  return {
    id: job._id.toHexString(),
    modelId: job.modelId.toHexString(),
    ownerId: job.ownerId.toHexString(),
    datasetId: job.datasetId ?? null,
    status: job.status,
    progress: DONE.includes(job.status) ? 1 : null,
    quotedMicro: job.escrowMicro ?? '0',
    paidMicro: job.paidMicro ?? '0',
    refundedMicro: job.refundedMicro ?? '0',
    machineId: job.lease?.machineId ?? null,
    requirements: job.requirements,
    priceCapMicro: job.priceCapMicro,
    config: job.config ?? null,
    failureReason: job.failureReason,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

/**
 * A model's jobs (for anyone on its access list: the model's NOT_FOUND otherwise), or without a
 * model the caller's own. Equality on an indexed top-level field.
 */
export async function listJobs(db: Db, userId: ObjectId, modelId?: string): Promise<JobView[]> {
  const filter = modelId ? { modelId: (await requireModel(db, modelId, userId, 'viewer')).model._id } : { ownerId: userId };
  const jobs = await jobsCollection(db).find(filter).sort({ createdAt: -1, _id: -1 }).limit(JOB_LIST_LIMIT).toArray();
  return jobs.map(jobView);
}
