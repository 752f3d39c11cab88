import { collections } from '../../db/collections';
import { router, signedInProcedure } from '../init';

export const modelsRouter = router({
  /** My models and those shared with me, most recently edited first. */
  list: signedInProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const userId = ctx.caller.user._id;
    const docs = await c.models
      .find({ $or: [{ ownerId: userId }, { 'collaborators.userId': userId }] }, { projection: { graph: 0 } })
      .sort({ updatedAt: -1 })
      .limit(200)
      .toArray();
    const owners = await c.users
      .find({ _id: { $in: docs.map((d) => d.ownerId) } }, { projection: { username: 1, email: 1 } })
      .toArray();
    const ownerName = new Map(owners.map((o) => [o._id.toHexString(), o.username ?? o.email]));
    return docs.map((d) => ({
      id: d._id.toHexString(),
      name: d.name,
      owner: ownerName.get(d.ownerId.toHexString()) ?? 'unknown',
      mine: d.ownerId.equals(userId),
      collaborators: d.collaborators.length,
      updatedAt: d.updatedAt,
    }));
  }),
});
