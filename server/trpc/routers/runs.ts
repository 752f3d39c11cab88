import { z } from 'zod';
import { getRun, listRuns, saveRun, runWeights } from '../../runs/runs';
import { SaveRunInputSchema } from '../../runs/schema';
import { router, signedInProcedure } from '../init';
import { pageInput } from '../page-input';

const id = z.string().trim().min(1).max(64);

/** Training runs of a model: saved from the browser tab, listed and compared by anyone with access. */
export const runsRouter = router({
  /** Editors and the owner save a run (metrics + weights); retries with the same clientRunId are no-ops. */
  save: signedInProcedure.input(SaveRunInputSchema).mutation(({ ctx, input }) => saveRun(ctx.db, ctx.caller.user._id, input)),

  /** Newest first, a page at a time: `cursor` is the previous page's `nextCursor`. */
  list: signedInProcedure.input(pageInput.extend({ modelId: id })).query(({ ctx, input }) => listRuns(ctx.db, ctx.caller.user._id, input.modelId, input)),

  get: signedInProcedure.input(z.object({ id })).query(({ ctx, input }) => getRun(ctx.db, ctx.caller.user._id, input.id)),

  /** The weights as base64 (small models); app/api/runs/[id]/weights serves the same bytes as a file. */
  weights: signedInProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const w = await runWeights(ctx.db, ctx.caller.user._id, input.id);
    return { name: w.name, sha256: w.sha256, base64: Buffer.from(w.data).toString('base64') };
  }),
});
