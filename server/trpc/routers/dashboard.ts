import { collections } from '../../db/collections';
import { router, signedInProcedure } from '../init';

export const dashboardRouter = router({
  counts: signedInProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const userId = ctx.caller.user._id;
    const [models, sharedModels, jobs, machines, apiKeys] = await Promise.all([
      c.models.countDocuments({ ownerId: userId }),
      c.models.countDocuments({ 'collaborators.userId': userId }),
      c.jobs.countDocuments({ ownerId: userId }),
      c.machines.countDocuments({ ownerId: userId }),
      c.apiKeys.countDocuments({ userId, revokedAt: null }),
    ]);
    return { models, sharedModels, jobs, machines, apiKeys };
  }),
});
