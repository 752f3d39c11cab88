import { recentActivity } from '../../dashboard/recent';
import { readUserCounters } from '../../db/counters';
import { collections } from '../../db/collections';
import { router, signedInProcedure } from '../init';

export const dashboardRouter = router({
  /**
   * Model counts come from the person's counters document; jobs, machines and keys are counted by an
   * indexed equality on their owner, small per-person sets.
   */
  counts: signedInProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const userId = ctx.caller.user._id;
    const [mine, jobs, machines, apiKeys] = await Promise.all([
      readUserCounters(ctx.db, userId),
      c.jobs.countDocuments({ ownerId: userId }),
      c.machines.countDocuments({ ownerId: userId }),
      c.apiKeys.countDocuments({ userId, revokedAt: null }),
    ]);
    return { models: mine.models, sharedModels: mine.sharedWithMe, jobs, machines, apiKeys };
  }),

  /** Recent models, runs and network jobs, a few of each, newest first. */
  recent: signedInProcedure.query(({ ctx }) => recentActivity(ctx.db, ctx.caller.user._id)),
});
