import { readCounters } from '../../db/counters';
import { collections } from '../../db/collections';
import { toPublicUser } from '../../auth/users';
import { adminProcedure, router } from '../init';

export const adminRouter = router({
  /** Platform totals are counters (counting whole collections would read every document). */
  overview: adminProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const [counts, recent] = await Promise.all([readCounters(ctx.db), c.users.find({}).sort({ createdAt: -1 }).limit(20).toArray()]);
    return { counts: { users: counts.users, models: counts.models, jobs: counts.jobs, machines: counts.machines }, recentUsers: recent.map(toPublicUser) };
  }),
});
