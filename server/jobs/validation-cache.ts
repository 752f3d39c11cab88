import type { Dataset } from '../../compute/data/dataset';
import { buildModelPlan, type ModelPlan } from '../../compute/model/plan';
import { prepareJobData } from '../../compute/train/job-data';
import type { FrozenJobSpec } from './job-spec';

/** What verifying a job's checkpoints needs every time: its plan and its prepared validation split. */
export interface JobValidation {
  plan: ModelPlan;
  validation: Dataset;
}

/**
 * Checkpoints of a job arrive once an epoch, each checked on the same validation split: the split
 * is prepared (parse, hold out, scale) once per job and kept here, in the verification worker
 * (verify-off-thread.ts), which is where it is used. Bounded: the least recently used job goes
 * first, so a platform verifying many jobs keeps memory flat.
 */
export const VALIDATION_CACHE_JOBS = 16;
const cache = new Map<string, JobValidation>();

/**
 * The job's plan and validation split: from the cache, else prepared from `csv` (null for
 * generated data). Null when it is not cached and the job's CSV is needed but was not given:
 * the caller reads it and asks again, so the bytes cross to the worker only on a miss.
 */
export function cachedValidation(jobId: string, spec: FrozenJobSpec, csv: Uint8Array | null): JobValidation | null {
  const hit = cache.get(jobId);
  if (hit) {
    cache.delete(jobId);
    cache.set(jobId, hit);
    return hit;
  }
  if (spec.data.source.kind === 'csv' && !csv) return null;
  const entry = { plan: buildModelPlan(spec.graph), validation: prepareJobData(spec.data, csv).validation };
  if (cache.size >= VALIDATION_CACHE_JOBS) cache.delete(cache.keys().next().value!);
  cache.set(jobId, entry);
  return entry;
}

export function cachedJobs(): number {
  return cache.size;
}
