import type { Db, ObjectId } from 'mongodb';
import { applyWithEffects } from './effects';
import { requireJob } from './job-access';
import { jobView, type JobView } from './job-views';
import { pokeScheduler } from './scheduler-poke';

/**
 * The job's owner, or the model's owner or an editor, cancels it: the machine's unit is freed and
 * whatever is left in the escrow goes back to the job's owner (effects.ts). A job already ended
 * answers the job machine's INVALID_TRANSITION.
 */
export async function cancelJob(db: Db, userId: ObjectId, jobId: string, now: Date): Promise<JobView> {
  const job = await requireJob(db, jobId, userId, 'cancel');
  const { job: after } = await applyWithEffects(db, job._id, { type: 'cancel' }, now);
  // A freed unit can take the next job now.
  pokeScheduler();
  return jobView(after);
}
