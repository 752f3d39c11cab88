import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { disconnectFromModel } from '../../collab-bridge';
import { collections } from '../../db/collections';
import { AppError } from '../../errors/app-error';
import { requireModel, roleIn } from '../../models/access';
import { updateCollaborators } from '../../models/collaborators';
import { deleteModel, duplicateModel, insertModel, renameModel } from '../../models/lifecycle';
import { findTemplate, layoutFor, MODEL_TEMPLATES, TEMPLATE_IDS } from '../../models/templates';
import { router, signedInProcedure } from '../init';

const modelId = z.string().trim().min(1, 'Choose a model.').max(64);
const modelName = z.string().trim().min(1, 'Give the model a name.').max(100, 'Model names are at most 100 characters.');
const MAX_COLLABORATORS = 50;

export const modelsRouter = router({
  /** My models and those shared with me, most recently edited first. */
  list: signedInProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const userId = ctx.caller.user._id;
    const docs = await c.models
      .find({ $or: [{ ownerId: userId }, { 'collaborators.userId': userId }] }, { projection: { graph: 0, layout: 0 } })
      .sort({ updatedAt: -1 })
      .limit(200)
      .toArray();
    const owners = await c.users.find({ _id: { $in: docs.map((d) => d.ownerId) } }, { projection: { username: 1, email: 1 } }).toArray();
    const ownerName = new Map(owners.map((o) => [o._id.toHexString(), o.username ?? o.email]));
    return docs.map((d) => ({
      id: d._id.toHexString(),
      name: d.name,
      owner: ownerName.get(d.ownerId.toHexString()) ?? 'unknown',
      mine: d.ownerId.equals(userId),
      role: roleIn(d, userId) ?? 'viewer',
      collaborators: d.collaborators.length,
      updatedAt: d.updatedAt,
    }));
  }),

  /** The starter graphs a new model can begin from. */
  templates: signedInProcedure.query(() => MODEL_TEMPLATES.map(({ id, name, description }) => ({ id, name, description }))),

  /** A blank model, or one starting from a template. */
  create: signedInProcedure
    .input(z.object({ name: modelName, template: z.enum(TEMPLATE_IDS, { error: 'Choose one of the templates.' }).optional() }))
    .mutation(async ({ ctx, input }) => {
      const graph = input.template ? findTemplate(input.template).build() : { nodes: [], edges: [] };
      const _id = await insertModel(ctx.db, { ownerId: ctx.caller.user._id, name: input.name, graph, layout: layoutFor(graph) });
      return { id: _id.toHexString() };
    }),

  /** Owner or editor. The record's name is what lists and the editor header show. */
  rename: signedInProcedure.input(z.object({ id: modelId, name: modelName })).mutation(async ({ ctx, input }) => {
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'editor');
    await renameModel(ctx.db, model._id, input.name);
    return { id: input.id, name: input.name };
  }),

  /** Anyone who can see a model may copy it; the copy is theirs alone. */
  duplicate: signedInProcedure.input(z.object({ id: modelId })).mutation(async ({ ctx, input }) => {
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'viewer');
    const _id = await duplicateModel(ctx.db, model, ctx.caller.user._id);
    return { id: _id.toHexString() };
  }),

  /** Owner only: removes the record and its collaborative document, and closes every open socket. */
  delete: signedInProcedure.input(z.object({ id: modelId })).mutation(async ({ ctx, input }) => {
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'owner');
    const { disconnected } = await deleteModel(ctx.db, model._id);
    return { deleted: true as const, disconnected };
  }),

  get: signedInProcedure.input(z.object({ id: modelId })).query(async ({ ctx, input }) => {
    const { model, role } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'viewer');
    return {
      id: model._id.toHexString(),
      name: model.name,
      description: model.description ?? '',
      role,
      graph: model.graph,
      datasetId: model.datasetId ?? null,
      updatedAt: model.updatedAt,
    };
  }),

  collaborators: signedInProcedure.input(z.object({ id: modelId })).query(async ({ ctx, input }) => {
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'viewer');
    const ids = [model.ownerId, ...model.collaborators.map((c) => c.userId)];
    const users = await collections(ctx.db).users.find({ _id: { $in: ids } }, { projection: { username: 1, email: 1 } }).toArray();
    const byId = new Map(users.map((u) => [u._id.toHexString(), u]));
    const describe = (id: ObjectId, role: 'owner' | 'editor' | 'viewer') => {
      const u = byId.get(id.toHexString());
      return { userId: id.toHexString(), username: u?.username ?? null, email: u?.email ?? null, role };
    };
    return [describe(model.ownerId, 'owner'), ...model.collaborators.map((c) => describe(c.userId, c.role))];
  }),

  /** The owner adds (or changes the role of) a person, found by email or username. */
  share: signedInProcedure
    .input(
      z.object({
        id: modelId,
        who: z.string().trim().min(1, 'Enter an email or username.').max(254),
        role: z.enum(['editor', 'viewer'], { error: 'Role must be editor or viewer.' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'owner');
      const who = input.who.toLowerCase();
      const person = await collections(ctx.db).users.findOne(who.includes('@') ? { email: who } : { username: input.who });
      if (!person) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', `Nobody with the ${who.includes('@') ? 'email' : 'username'} "${input.who}" has an account.`, 'who');
      if (person._id.equals(model.ownerId)) throw new AppError('BAD_REQUEST', 'ALREADY_OWNER', 'That is the owner of this model.', 'who');
      let previous: 'editor' | 'viewer' | undefined;
      await updateCollaborators(ctx.db, model._id, (current) => {
        previous = current.find((c) => c.userId.equals(person._id))?.role;
        if (!previous && current.length >= MAX_COLLABORATORS) {
          throw new AppError('BAD_REQUEST', 'TOO_MANY_COLLABORATORS', `A model can be shared with at most ${MAX_COLLABORATORS} people.`);
        }
        return [...current.filter((c) => !c.userId.equals(person._id)), { userId: person._id, role: input.role }];
      });
      // A changed role takes effect on the next connection, so close the current ones.
      if (previous && previous !== input.role) await disconnectFromModel(input.id, person._id.toHexString());
      return { userId: person._id.toHexString(), role: input.role };
    }),

  /** The owner removes a person (or a person leaves); their open sockets are closed at once. */
  unshare: signedInProcedure.input(z.object({ id: modelId, userId: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    const self = ctx.caller.user._id.toHexString() === input.userId;
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, self ? 'viewer' : 'owner');
    if (!ObjectId.isValid(input.userId)) throw new AppError('NOT_FOUND', 'COLLABORATOR_NOT_FOUND', 'That person is not a collaborator.', 'userId');
    const userId = new ObjectId(input.userId);
    if (model.ownerId.equals(userId)) throw new AppError('BAD_REQUEST', 'CANNOT_REMOVE_OWNER', 'The owner cannot be removed.', 'userId');
    await updateCollaborators(ctx.db, model._id, (current) => {
      if (!current.some((c) => c.userId.equals(userId))) {
        throw new AppError('NOT_FOUND', 'COLLABORATOR_NOT_FOUND', 'That person is not a collaborator.', 'userId');
      }
      return current.filter((c) => !c.userId.equals(userId));
    });
    const disconnected = await disconnectFromModel(input.id, input.userId);
    return { removed: true as const, disconnected };
  }),
});
