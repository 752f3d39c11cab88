import type { Db, ObjectId } from 'mongodb';
import { formatCyx } from '../../programs';
import { AppError } from '../errors/app-error';
import { createJob } from './create-job';
import { applyWithEffects } from './effects';
import { quoteJob, type QuoteInput } from './quote-job';
import { pokeScheduler } from './scheduler-poke';
import type { JobView } from './job-views';
import { jobView } from './job-views';

export interface SubmitInput extends QuoteInput {
  /** The escrow amount (µCYX) of the quote the person approved: the most this submission may lock. */
  approvedMicro: string;
}

/**
 * Quotes again (so a graph that does not validate, a dataset that does not fit, or no matching
 * machine is refused before any money moves), refuses a quote dearer than the one approved, stores
 * the job (CREATED), approves it and locks the escrow (effects.ts), and asks the scheduler for a pass.
 *
 * Insufficient funds: the job is kept, CANCELLED with the reason (so the attempt shows in the
 * list), nothing is locked, and the caller gets INSUFFICIENT_FUNDS saying how much is missing.
 * A ledger that cannot be reached leaves the job QUEUED; settlePending locks it later.
 */
export async function submitJob(db: Db, userId: ObjectId, input: SubmitInput, now: Date): Promise<JobView> {
  if (!/^\d{1,19}$/.test(input.approvedMicro)) throw new AppError('BAD_REQUEST', 'INVALID_APPROVED_AMOUNT', 'Give the approved amount in µCYX as a whole number.', 'approvedMicro');
  const { quote, model } = await quoteJob(db, userId, input, now);
  const approved = BigInt(input.approvedMicro);
  if (BigInt(quote.escrowMicro) > approved) {
    throw new AppError('CONFLICT', 'QUOTE_CHANGED', `The quote is now ${formatCyx(BigInt(quote.escrowMicro))}, more than the ${formatCyx(approved)} you approved; look at the new quote and approve it.`, 'approvedMicro');
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
    },
    now,
  );
  const { job: after } = await applyWithEffects(db, job._id, { type: 'approve' }, now);
  if (after.status === 'CANCELLED' && !after.escrowed) {
    throw new AppError('BAD_REQUEST', 'INSUFFICIENT_FUNDS', `${after.failureReason ?? 'Not enough CYX to lock this job.'} Get CYX on the Wallet page and submit again.`, 'approvedMicro');
  }
  pokeScheduler();
  return jobView(after);
}
