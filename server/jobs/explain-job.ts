import type { Db } from 'mongodb';
import { parseJobId } from './apply-job-event';
import { jobsCollection } from './collections';
import { explainCandidates, type Explanation } from './explain-candidates';
import { jobNotFound } from './job-errors';
import { loadSchedulableUnits } from './schedulable-units';

/** The admin view's question, "where would this job go now, and why?": every unit weighed, busy and offline ones included. */
export async function explainJob(db: Db, jobId: string, now: Date): Promise<Explanation> {
  const [job, units] = await Promise.all([jobsCollection(db).findOne({ _id: parseJobId(jobId) }), loadSchedulableUnits(db, now)]);
  if (!job) throw jobNotFound();
  return explainCandidates(job, units);
}
