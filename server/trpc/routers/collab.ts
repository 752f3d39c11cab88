import { z } from 'zod';
import { signTicket, TICKET_TTL_MS } from '../../../collab/server/ticket';
import { COLLAB_PATH } from '../../../collab/path';
import { requireModel } from '../../models/access';
import { router, sessionProcedure } from '../init';

export const collabRouter = router({
  /**
   * A short-lived signed ticket to join one model's room. The socket server checks it (and the
   * access list, again) before any sync, so browsers never send cookies to the socket.
   */
  ticket: sessionProcedure.input(z.object({ modelId: z.string().trim().min(1).max(64) })).mutation(async ({ ctx, input }) => {
    const { model, role } = await requireModel(ctx.db, input.modelId, ctx.caller.user._id, 'viewer');
    const secret = process.env.AUTH_SECRET;
    if (!secret) throw new Error('AUTH_SECRET is not set');
    const expiresAt = Date.now() + TICKET_TTL_MS;
    const ticket = signTicket(
      { modelId: model._id.toHexString(), userId: ctx.caller.user._id.toHexString(), name: ctx.caller.user.username ?? ctx.caller.user.email, role, exp: expiresAt },
      secret,
    );
    return { ticket, role, path: COLLAB_PATH, expiresAt };
  }),
});
