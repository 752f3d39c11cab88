import type { Db } from 'mongodb';
import { formatCyx } from '../../programs';
import { audit } from '../audit/audit';
import type { AuditAction } from '../audit/actions';
import { applyWithEffects, type EffectStep } from '../jobs/effects';
import { notifyJobChanged } from '../jobs/job-change-bus';
import { parseJobId } from '../jobs/apply-job-event';
import { jobsCollection } from '../jobs/collections';
import { jobNotFound } from '../jobs/job-errors';
import type { JobEvent } from '../jobs/job-machine';
import { jobView, type JobView } from '../jobs/job-views';
import { pokeScheduler } from '../jobs/scheduler-poke';
import { slashedUnder } from './slash-audit';
import type { Actor } from './users';

/**
 * What an administrator does to any network job. Each is one transition of the job machine
 * (admin_cancel, admin_requeue, admin_invalidate) carrying the reason, its money through
 * effects.ts under the job's own ledger keys, and exactly one audit entry written once the
 * transition landed: a repeated click finds the job moved on (the machine's INVALID_TRANSITION)
 * and audits nothing.
 */

export interface AdminJobActionResult {
  job: JobView;
  /** µCYX this action refunded to the job's owner, and slashed from the machine's stake. */
  refundedMicro: string;
  slashedMicro: string;
  steps: EffectStep[];
}

type AdminJobEvent = Extract<JobEvent, { type: 'admin_cancel' | 'admin_requeue' | 'admin_invalidate' }>;

const ACTIONS: Record<AdminJobEvent['type'], AuditAction> = { admin_cancel: 'job.cancel', admin_requeue: 'job.requeue', admin_invalidate: 'job.invalidate' };

async function act(db: Db, actor: Actor, jobId: string, event: AdminJobEvent, now: Date, describe: (r: { job: JobView; refunded: bigint; slashed: bigint; machineId: string | null }) => string): Promise<AdminJobActionResult> {
  const before = await jobsCollection(db).findOne({ _id: parseJobId(jobId) }, { projection: { refundedMicro: 1, lease: 1 } });
  if (!before) throw jobNotFound();
  const machineId = before.lease?.machineId ?? null;
  const report = await applyWithEffects(db, jobId, event, now);
  // What this transition refunded: the job's copy of the ledger's figure, before and after it.
  const refunded = BigInt(report.job.refundedMicro ?? '0') - BigInt(before.refundedMicro ?? '0');
  const slashStep = report.steps.find((s) => s.key.endsWith(':slash:invalid_result'));
  const slashed = slashStep ? await slashedUnder(db, slashStep.key) : 0n;
  const job = jobView(report.job);
  await audit(db, { at: now, actorId: actor.id, action: ACTIONS[event.type], target: `job ${job.id}: ${describe({ job, refunded, slashed, machineId })}`, reason: event.reason, ip: actor.ip });
  notifyJobChanged(job.id);
  // A freed unit (or a job back in the queue) is work for the scheduler now.
  pokeScheduler();
  return { job, refundedMicro: refunded.toString(), slashedMicro: slashed.toString(), steps: report.steps };
}

/** Cancels any live job: the unit is freed and exactly what is left in its escrow goes back to its owner. */
export function adminCancelJob(db: Db, actor: Actor, input: { jobId: string; reason: string }, now: Date): Promise<AdminJobActionResult> {
  return act(db, actor, input.jobId, { type: 'admin_cancel', reason: input.reason }, now, ({ refunded }) => `cancelled, ${formatCyx(refunded)} refunded to its owner`);
}

/** Puts a leased job back in the queue; the next machine resumes from its last verified checkpoint. */
export function adminRequeueJob(db: Db, actor: Actor, input: { jobId: string; reason: string }, now: Date): Promise<AdminJobActionResult> {
  return act(db, actor, input.jobId, { type: 'admin_requeue', reason: input.reason }, now, ({ job, machineId }) =>
    `requeued from ${machineId ? `machine ${machineId}` : 'its machine'}, resuming ${job.lastCheckpointStep === null ? 'from the start' : `from step ${job.lastCheckpointStep}`}`,
  );
}

/** The leased machine's results are invalid: it is slashed (invalid_result), the job fails and the rest is refunded. */
export function adminInvalidateJob(db: Db, actor: Actor, input: { jobId: string; reason: string }, now: Date): Promise<AdminJobActionResult> {
  return act(db, actor, input.jobId, { type: 'admin_invalidate', reason: input.reason }, now, ({ refunded, slashed, machineId }) =>
    `results marked invalid, machine ${machineId ?? '?'} slashed ${formatCyx(slashed)}, ${formatCyx(refunded)} refunded to its owner`,
  );
}
