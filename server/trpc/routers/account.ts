import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { changePassword, changePasswordInput } from '../../auth/change-password';
import { countHit, limitFromEnv } from '../../auth/rate-limit';
import { signUp, signUpInput, toPublicUser, updateUsername, usernameSchema } from '../../auth/users';
import { AppError } from '../../errors/app-error';
import { renamePersonInModels } from '../../models/members';
import { publicProcedure, router, sessionProcedure, signedInProcedure } from '../init';

const SIGNUP_IP_LIMIT = { max: 20, windowMs: 60 * 60_000 };

export const accountRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    if (ctx.caller) throw new AppError('BAD_REQUEST', 'ALREADY_SIGNED_IN', 'You are already signed in. Sign out to create another account.');
    if (ctx.ip) {
      const limit = limitFromEnv('SIGNUP_LIMIT_PER_IP', SIGNUP_IP_LIMIT);
      const hits = await countHit(ctx.db, `signup:ip:${ctx.ip}`, limit);
      if (hits.count > limit.max) {
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many sign-ups from your network. Try again later.' });
      }
    }
    const user = await signUp(ctx.db, input);
    return { id: user.id, email: user.email, username: user.username };
  }),

  me: signedInProcedure.query(({ ctx }) => ({
    ...toPublicUser(ctx.caller.user),
    via: ctx.caller.via,
    apiKeyName: ctx.caller.apiKey?.name ?? null,
  })),

  updateUsername: sessionProcedure
    .input(z.object({ username: usernameSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await updateUsername(ctx.db, ctx.caller.user._id, input.username);
      // Access lists and models lists show the name from membership rows.
      await renamePersonInModels(ctx.db, { _id: ctx.caller.user._id, email: user.email, username: user.username ?? undefined });
      return user;
    }),

  /** Ends every session of the account, this one included: the browser then signs in again. */
  changePassword: sessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.db, ctx.caller.user._id, input, ctx.ip);
    return { signedOut: true as const };
  }),
});
