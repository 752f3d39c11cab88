import { readCounters } from '../../db/counters';
import { collections } from '../../db/collections';
import { toPublicUser } from '../../auth/users';
import { z } from 'zod';
import { getLedger } from '../../ledger';
import { adminMint } from '../../wallet/admin-mint';
import { withLedger } from '../../wallet/money-error';
import { adminProcedure, router } from '../init';

/** Money the administrators move by hand, and a full check of the ledger. */
const ledgerRouter = router({
  mint: adminProcedure
    .input(
      z.object({
        to: z.string().trim().min(1, 'Name the username or email to mint to.').max(254),
        amount: z.string().trim().min(1, 'Type an amount of CYX.').max(32),
        reason: z.string().trim().min(3, 'Say why (at least 3 characters); the audit log keeps it.').max(200),
        requestId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _.'),
      }),
    )
    .mutation(({ ctx, input }) => adminMint(ctx.db, { id: ctx.caller.user._id, ip: ctx.ip }, input)),

  /** Replays the whole log from nothing: supply, every invariant, whether it matches the live view, and how long it took. */
  verify: adminProcedure.mutation(async ({ ctx }) => {
    const report = await withLedger(async () => (await getLedger(ctx.db)).verify());
    return {
      instructions: report.instructions,
      supply: { minted: report.supply.minted.toString(), held: report.supply.held.toString() },
      invariants: report.invariants.map((i) => ({ name: i.name, ok: i.ok, ...(i.detail ? { detail: i.detail } : {}) })),
      matchesLive: report.matchesLive,
      ms: report.ms,
    };
  }),
});

export const adminRouter = router({
  ledger: ledgerRouter,
  /** Platform totals are counters (counting whole collections would read every document). */
  overview: adminProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const [counts, recent] = await Promise.all([readCounters(ctx.db), c.users.find({}).sort({ createdAt: -1 }).limit(20).toArray()]);
    return { counts: { users: counts.users, models: counts.models, jobs: counts.jobs, machines: counts.machines }, recentUsers: recent.map(toPublicUser) };
  }),
});
