import { collections } from '../../db/collections';
import { toPublicUser } from '../../auth/users';
import { adminProcedure, router } from '../init';

export const adminRouter = router({
  overview: adminProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const [users, models, jobs, machines, recent] = await Promise.all([
      c.users.countDocuments({}),
      c.models.countDocuments({}),
      c.jobs.countDocuments({}),
      c.machines.countDocuments({}),
      c.users.find({}).sort({ createdAt: -1 }).limit(20).toArray(),
    ]);
    return { counts: { users, models, jobs, machines }, recentUsers: recent.map(toPublicUser) };
  }),
});
