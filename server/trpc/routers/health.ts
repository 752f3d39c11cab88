import { publicProcedure, router } from '../init';

export const healthRouter = router({
  ping: publicProcedure.query(async ({ ctx }) => {
    await ctx.db.command({ ping: 1 });
    return { ok: true as const, time: new Date().toISOString() };
  }),
});
