import type { Db } from 'mongodb';
import { carriedEvent } from '../jobs/job-events-log';
import { jobEventsCollection, jobsCollection, type JobEventDoc } from '../jobs/collections';

/** Jobs looked at, at most: the newest leases tell how the queue is doing now. */
export const ASSIGN_SAMPLE_MAX = 200;
const HOUR_MS = 60 * 60_000;

export interface AssignTimes {
  /** Assignments measured: jobs holding a lease (ASSIGNED or RUNNING) whose latest assignment was in the last hour. */
  samples: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;
}

/**
 * Time from entering the queue (queuedAt, kept when a job is put back) to its latest assignment,
 * over the jobs holding a lease now. Reads: two status equalities, then each job's events by its
 * indexed jobId (the transition not yet written out travels in the job, so it is read from there).
 */
export async function assignTimes(db: Db, now: Date): Promise<AssignTimes> {
  const jobs = jobsCollection(db);
  const projection = { _id: 1, queuedAt: 1, lastEventJson: 1, updatedAt: 1 } as const;
  const held = (await Promise.all(['ASSIGNED', 'RUNNING'].map((status) => jobs.find({ status: status as 'ASSIGNED' }, { projection }).toArray()))).flat();
  held.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const sample = held.slice(0, ASSIGN_SAMPLE_MAX);
  const since = now.getTime() - HOUR_MS;
  const waits = await Promise.all(
    sample.map(async (job) => {
      if (!job.queuedAt) return null;
      const carried = carriedEvent(job);
      const events: JobEventDoc[] = carried?.event.type === 'assign' ? [carried] : await jobEventsCollection(db).find({ jobId: job._id }).toArray();
      const assigned = events.filter((e) => e.event.type === 'assign').sort((a, b) => b.version - a.version)[0];
      if (!assigned || assigned.at.getTime() < since) return null;
      return assigned.at.getTime() - job.queuedAt.getTime();
    }),
  );
  const measured = waits.filter((w): w is number => w !== null).sort((a, b) => a - b);
  return { samples: measured.length, p50Ms: percentile(measured, 0.5), p99Ms: percentile(measured, 0.99) };
}
