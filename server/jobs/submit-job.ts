import type { Db, ObjectId } from 'mongodb';
import { formatCyx } from '../../programs';
import { AppError } from '../errors/app-error';
import { createJob } from './create-job';
import { buildJobSpec, storeJobSpec } from './job-spec';
import { applyWithEffects } from './effects';
import { quoteJob, type QuoteInput } from './quote-job';
import { pokeScheduler } from './scheduler-poke';
import { checkStartData, storeStartCheckpoint } from './start-from-run';
import type { JobView } from './job-views';
import { jobView } from './job-views';

export interface SubmitInput extends QuoteInput {
  /** The escrow amount (µCYX) of the quote the person approved: the most this submission may lock. */
  approvedMicro: string;
}

/**
 * With `fromRunId` ("continue on the network", start-from-run.ts) the run is checked (readable, this
 * model, this dataset, same layer shapes and scaling) by the quote and here, before any money moves;
 * its checkpoint becomes the job's first lastCheckpoint and the job's epochs count on from it.
 *
 * Quotes again (so a graph that does not validate, a dataset that does not fit, or no matching
 * machine is refused before any money moves), freezes the job's spec (job-spec.ts: the graph, the
 * config, the data, exact totalSteps; a dataset that does not parse is refused here too), refuses a quote dearer than the one approved, stores
 * the job (CREATED), approves it and locks the escrow (effects.ts), and asks the scheduler for a pass.
 *
 * Insufficient funds: the job is kept, CANCELLED with the reason (so the attempt shows in the
 * list), nothing is locked, and the caller gets INSUFFICIENT_FUNDS saying how much is missing.
 * A ledger that cannot be reached leaves the job QUEUED; settlePending locks it later.
 */
export async function submitJob(db: Db, userId: ObjectId, input: SubmitInput, now: Date): Promise<JobView> {
  if (!/^\d{1,19}$/.test(input.approvedMicro)) throw new AppError('BAD_REQUEST', 'INVALID_APPROVED_AMOUNT', 'Give the approved amount in µCYX as a whole number.', 'approvedMicro');
  const { quote, model, start } = await quoteJob(db, userId, input, now);
  const approved = BigInt(input.approvedMicro);
  if (BigInt(quote.escrowMicro) > approved) {
    throw new AppError('CONFLICT', 'QUOTE_CHANGED', `The quote is now ${formatCyx(BigInt(quote.escrowMicro))}, more than the ${formatCyx(approved)} you approved; look at the new quote and approve it.`, 'approvedMicro');
  }
  // Frozen before any money moves: a file that does not parse or a plan that does not build is refused here.
  const spec = await buildJobSpec(db, userId, model.graph, input.datasetId, input.config, start?.startStep ?? 0);
  // Started from a run: its data must mean what the job's does, and its checkpoint is stored as the job's starting point.
  let started = null;
  if (start) {
    checkStartData(start.run, spec);
    started = await storeStartCheckpoint(db, start, spec, spec.totalSteps / (spec.train.epochs ?? 1), now);
  }
  const job = await createJob(
    db,
    {
      modelId: model._id,
      ownerId: userId,
      requirements: input.requirements,
      priceCapMicro: input.priceCapMicro,
      trainingFlops: quote.trainingFlops,
      datasetId: input.datasetId,
      config: input.config,
      escrowMicro: quote.escrowMicro,
      totalSteps: spec.totalSteps,
      startCheckpoint: started?.checkpoint ?? null,
      startFrom: started?.startFrom ?? null,
    },
    now,
  );
  // Before the approval: a job without its spec never locks money (a failure here leaves it CREATED).
  await storeJobSpec(db, job._id, spec, now);
  const { job: after } = await applyWithEffects(db, job._id, { type: 'approve' }, now);
  if (after.status === 'CANCELLED' && !after.escrowed) {
    throw new AppError('BAD_REQUEST', 'INSUFFICIENT_FUNDS', `${after.failureReason ?? 'Not enough CYX to lock this job.'} Get CYX on the Wallet page and submit again.`, 'approvedMicro');
  }
  pokeScheduler();
  return jobView(after);
}
