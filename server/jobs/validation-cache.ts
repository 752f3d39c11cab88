import type { Dataset } from '../../compute/data/dataset';
import { buildModelPlan, type ModelPlan } from '../../compute/model/plan';
import { prepareJobData } from '../../compute/train/job-data';
import type { Db } from 'mongodb';
import type { JobDoc } from './collections';
import { readJobCsv } from './job-data-source';
import type { FrozenJobSpec } from './job-spec';

/** What verifying a job's checkpoints needs every time: its plan and its prepared validation split. */
export interface JobValidation {
  plan: ModelPlan;
  validation: Dataset;
}

/**
 * Checkpoints of a job arrive once an epoch, each checked on the same validation split: the split
 * is prepared (parse, hold out, scale) once per job and kept here. Bounded: the least recently
 * used job goes first, so a platform verifying many jobs keeps memory flat.
 */
export const VALIDATION_CACHE_JOBS = 16;
const cache = new Map<string, JobValidation>();

export class JobDataMissing extends Error {}

export async function jobValidation(db: Db, job: Pick<JobDoc, '_id' | 'datasetId'>, spec: FrozenJobSpec): Promise<JobValidation> {
  const key = job._id.toHexString();
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const source = spec.data.source;
  const bytes = source.kind === 'csv' ? await readJobCsv(db, job.datasetId, source.sha256) : null;
  if (source.kind === 'csv' && !bytes) throw new JobDataMissing(`The job's dataset (${source.sha256.slice(0, 12)}…) is no longer stored`);
  const entry = { plan: buildModelPlan(spec.graph), validation: prepareJobData(spec.data, bytes).validation };
  if (cache.size >= VALIDATION_CACHE_JOBS) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
  return entry;
}
