import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys';
import { audit } from '../../audit/audit';
import { router, sessionProcedure } from '../init';

export const apiKeysRouter = router({
  list: sessionProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.caller.user._id)),

  create: sessionProcedure
    .input(
      z.object({
        name: z.string().trim().min(1, 'Give the key a name.').max(64, 'Key names are at most 64 characters.'),
        expiresInDays: z.number().int().min(1, 'Expiry must be at least 1 day.').max(365, 'Expiry is at most 365 days.').nullable().default(null),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const created = await createApiKey(ctx.db, ctx.caller.user._id, input.name, input.expiresInDays);
      await audit(ctx.db, { actorId: ctx.caller.user._id, action: 'apikey.create', target: `${created.summary.name} (${created.summary.prefix}…)`, ip: ctx.ip });
      return created;
    }),

  revoke: sessionProcedure
    .input(z.object({ id: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiKey(ctx.db, ctx.caller.user._id, input.id);
      await audit(ctx.db, { actorId: ctx.caller.user._id, action: 'apikey.revoke', target: input.id, ip: ctx.ip });
      return { revoked: true as const };
    }),
});
