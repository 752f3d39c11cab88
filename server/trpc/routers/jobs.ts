import { TRPCError, tracked } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../errors/app-error';
import { MAX_PRICE_MICRO, MAX_VRAM_BYTES } from '../../machines/schema';
import { withLedger } from '../../wallet/money-error';
import { cancelJob } from '../../jobs/cancel-job';
import { requireJob } from '../../jobs/job-access';
import { jobDetail } from '../../jobs/job-detail';
import { jobView, listJobs } from '../../jobs/job-views';
import { watchJob, type JobWatchUpdate } from '../../jobs/job-watch';
import { quoteJob } from '../../jobs/quote-job';
import { submitJob } from '../../jobs/submit-job';
import { router, signedInProcedure } from '../init';

/** The most epochs one network job may run: far beyond any model this platform trains, low enough that FLOPs stay exact. */
export const MAX_EPOCHS = 10_000;
export const MAX_BATCH_SIZE = 65_536;

const id = (what: string) => z.string().trim().min(1, `Choose a ${what}.`).max(64);
const whole = (what: string, min: number, max: number) =>
  z.number({ error: `${what} must be a number.` }).int(`${what} must be a whole number.`).min(min, `${what} must be at least ${min}.`).max(max, `${what} is at most ${max}.`);

const quoteInput = z.object({
  modelId: id('model'),
  datasetId: id('dataset'),
  config: z.object({
    epochs: whole('Epochs', 1, MAX_EPOCHS),
    batchSize: whole('The batch size', 1, MAX_BATCH_SIZE),
    learningRate: z.number().positive('The learning rate must be positive.').max(10, 'The learning rate is at most 10.').nullish().transform((v) => v ?? null),
    seed: whole('The seed', 0, 2 ** 32 - 1).nullish().transform((v) => v ?? null),
  }),
  requirements: z.object({
    device: z.enum(['gpu', 'cpu'], { error: 'Ask for a GPU or a CPU.' }),
    minVramBytes: whole('The minimum memory', 0, MAX_VRAM_BYTES),
  }),
  priceCapMicro: z
    .string()
    .regex(/^\d{1,13}$/, 'Give the price cap per hour in µCYX as a whole number.')
    .refine((s) => BigInt(s) <= MAX_PRICE_MICRO, `The price cap is at most ${MAX_PRICE_MICRO} µCYX per hour.`),
  /** "Continue on the network": a saved run of this model whose checkpoint the job starts from. */
  fromRunId: id('run').nullish(),
});

const watchInput = z.object({
  id: id('job'),
  /** Send progress points after this seq (what the page already has); 0 for all. */
  afterSeq: z.number().int().min(0).default(0),
  withPoints: z.boolean().default(true),
  /** Set by httpSubscriptionLink on a reconnect: the id of the last update it got (its lastSeq). */
  lastEventId: z.string().regex(/^\d{1,15}$/).nullish(),
});

/**
 * Errors thrown while a subscription streams reach the client as tRPC errors with their own code
 * (an AppError outside a procedure's middleware would otherwise read as an internal error).
 */
async function* withAppErrors<T>(updates: AsyncGenerator<T, void, undefined>): AsyncGenerator<T, void, undefined> {
  try {
    yield* updates;
  } catch (error) {
    if (error instanceof AppError) throw new TRPCError({ code: error.kind, message: error.message, cause: error });
    throw error;
  }
}

/**
 * Network training jobs: quote, submit (locks the escrow), list, get, cancel (refunds what is left).
 * Only a model's owner and editors quote, submit and cancel; its viewers see its jobs; anyone else
 * gets NOT_FOUND.
 */
export const jobsRouter = router({
  quote: signedInProcedure.input(quoteInput).query(async ({ ctx, input }) => (await quoteJob(ctx.db, ctx.caller.user._id, input, ctx.now())).quote),

  submit: signedInProcedure
    .input(quoteInput.extend({ approvedMicro: z.string().regex(/^\d{1,19}$/, 'Give the approved amount in µCYX as a whole number.') }))
    .mutation(async ({ ctx, input }) => {
      const job = await withLedger(() => submitJob(ctx.db, ctx.caller.user._id, input, ctx.now()));
      return { jobId: job.id, job };
    }),

  list: signedInProcedure
    .input(z.object({ modelId: id('model').optional() }).default({}))
    .query(({ ctx, input }) => listJobs(ctx.db, ctx.caller.user._id, input.modelId)),

  get: signedInProcedure.input(z.object({ id: id('job') })).query(async ({ ctx, input }) => jobView(await requireJob(ctx.db, input.id, ctx.caller.user._id, 'view'))),

  /** The job page in one call: the view with names, its timeline's milestones and its checkpoints (watch streams the points). */
  detail: signedInProcedure.input(z.object({ id: id('job') })).query(async ({ ctx, input }) => jobDetail(ctx.db, await requireJob(ctx.db, input.id, ctx.caller.user._id, 'view'))),

  /**
   * Live over SSE (httpSubscriptionLink): the job's view and its new progress points, whenever they
   * change, until the job is settled. Same access as get: the owner and the model's collaborators.
   */
  watch: signedInProcedure.input(watchInput).subscription(async ({ ctx, input, signal }) => {
    const job = await requireJob(ctx.db, input.id, ctx.caller.user._id, 'view');
    const afterSeq = input.lastEventId ? Number(input.lastEventId) : input.afterSeq;
    async function* updates(): AsyncGenerator<ReturnType<typeof tracked<JobWatchUpdate>>, void, undefined> {
      for await (const update of watchJob(ctx.db, job, ctx.caller.user._id, { afterSeq, withPoints: input.withPoints, signal })) yield tracked(String(update.lastSeq), update);
    }
    return withAppErrors(updates());
  }),

  cancel: signedInProcedure.input(z.object({ id: id('job') })).mutation(({ ctx, input }) => withLedger(() => cancelJob(ctx.db, ctx.caller.user._id, input.id, ctx.now()))),
});
