import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { findUserByUsername } from '../../auth/users';
import { disconnectFromModel } from '../../collab-bridge';
import { collections } from '../../db/collections';
import { AppError } from '../../errors/app-error';
import { requireModel } from '../../models/access';
import { addCollaborator, listCollaborators, removeCollaborator } from '../../models/collaborators';
import { deleteModel, duplicateModel, insertModel, renameModel } from '../../models/lifecycle';
import { LIST_PAGE_DEFAULT, LIST_PAGE_MAX, listModels } from '../../models/list';
import { displayName } from '../../models/members';
import { findTemplate, layoutFor, MODEL_TEMPLATES, TEMPLATE_IDS } from '../../models/templates';
import { router, signedInProcedure } from '../init';

const modelId = z.string().trim().min(1, 'Choose a model.').max(64);
const modelName = z.string().trim().min(1, 'Give the model a name.').max(100, 'Model names are at most 100 characters.');
const listPage = z
  .object({
    cursor: z.string().max(100).nullish(),
    limit: z
      .number({ error: 'The page size must be a number.' })
      .int('The page size must be a whole number.')
      .min(1, 'Ask for at least one model.')
      .max(LIST_PAGE_MAX, `Pages hold at most ${LIST_PAGE_MAX} models.`)
      .default(LIST_PAGE_DEFAULT),
  })
  .default({ limit: LIST_PAGE_DEFAULT });

export const modelsRouter = router({
  /** My models and those shared with me, most recently edited first, a page at a time. */
  list: signedInProcedure.input(listPage).query(({ ctx, input }) =>
    listModels(ctx.db, ctx.caller.user._id, { limit: input.limit, ...(input.cursor ? { cursor: input.cursor } : {}) }),
  ),

  /** The starter graphs a new model can begin from. */
  templates: signedInProcedure.query(() => MODEL_TEMPLATES.map(({ id, name, description }) => ({ id, name, description }))),

  /** A blank model, or one starting from a template (and attached to the built-in dataset it trains on). */
  create: signedInProcedure
    .input(z.object({ name: modelName, template: z.enum(TEMPLATE_IDS, { error: 'Choose one of the templates.' }).optional() }))
    .mutation(async ({ ctx, input }) => {
      const template = input.template ? findTemplate(input.template) : undefined;
      const graph = template ? template.build() : { nodes: [], edges: [] };
      const _id = await insertModel(ctx.db, { owner: ctx.caller.user, name: input.name, graph, layout: layoutFor(graph), ...(template ? { datasetId: template.datasetId } : {}) });
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
    const _id = await duplicateModel(ctx.db, model, ctx.caller.user);
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

  /** Everyone with access, the owner first. */
  collaborators: signedInProcedure.input(z.object({ id: modelId })).query(async ({ ctx, input }) => {
    const { model } = await requireModel(ctx.db, input.id, ctx.caller.user._id, 'viewer');
    return listCollaborators(ctx.db, model._id);
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
      const person = who.includes('@') ? await collections(ctx.db).users.findOne({ email: who }) : await findUserByUsername(ctx.db, input.who);
      if (!person) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', `Nobody with the ${who.includes('@') ? 'email' : 'username'} "${input.who}" has an account.`, 'who');
      if (person._id.equals(model.ownerId)) throw new AppError('BAD_REQUEST', 'ALREADY_OWNER', 'That is the owner of this model.', 'who');
      // Only the owner shares, so the caller's name is the owner's name.
      const previous = await addCollaborator(ctx.db, model, displayName(ctx.caller.user), person, input.role);
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
    await removeCollaborator(ctx.db, model._id, userId);
    const disconnected = await disconnectFromModel(input.id, input.userId);
    return { removed: true as const, disconnected };
  }),
});
