import { z } from 'zod';
import { deleteVersion, getVersion, listVersions, restoreVersion, saveVersion, VERSION_LIMITS } from '../../models/versions';
import { router, signedInProcedure } from '../init';

const modelId = z.string().trim().min(1, 'Choose a model.').max(64);
const versionId = z.string().trim().min(1, 'Choose a version.').max(64);
const ref = z.object({ modelId, versionId });

/**
 * Named versions of a model: a snapshot of its collaborative document with a name, author and
 * time. Viewers list and view them; owners and editors save and restore.
 */
export const versionsRouter = router({
  list: signedInProcedure.input(z.object({ modelId })).query(({ ctx, input }) => listVersions(ctx.db, input.modelId, ctx.caller.user._id)),

  get: signedInProcedure.input(ref).query(({ ctx, input }) => getVersion(ctx.db, input.modelId, input.versionId, ctx.caller.user._id)),

  save: signedInProcedure
    // Length is checked again after trimming, with the stable codes, in saveVersion.
    .input(z.object({ modelId, name: z.string().max(VERSION_LIMITS.nameChars * 4, `Version names are at most ${VERSION_LIMITS.nameChars} characters.`) }))
    .mutation(({ ctx, input }) => saveVersion(ctx.db, input.modelId, ctx.caller.user, input.name, ctx.now())),

  restore: signedInProcedure.input(ref).mutation(({ ctx, input }) => restoreVersion(ctx.db, input.modelId, input.versionId, ctx.caller.user._id)),

  delete: signedInProcedure.input(ref).mutation(({ ctx, input }) => deleteVersion(ctx.db, input.modelId, input.versionId, ctx.caller.user._id)),
});
