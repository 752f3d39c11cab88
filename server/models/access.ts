import { ObjectId, type Db } from 'mongodb';
import type { RoomRole } from '../../collab/server/ticket';
import { collections, type ModelDoc, type ModelMemberDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

export type ModelRole = RoomRole;

/** The membership row's _id: deterministic, so adding someone twice is one row. */
export function memberId(modelId: ObjectId, userId: ObjectId): string {
  return `${modelId.toHexString()}:${userId.toHexString()}`;
}

/**
 * Ownership is the model's own ownerId; everyone else's role is their membership row. A row whose
 * model is gone (a delete interrupted before its rows went) grants nothing.
 */
function roleOf(model: Pick<ModelDoc, 'ownerId'> | null, row: Pick<ModelMemberDoc, 'role'> | null, userId: ObjectId): ModelRole | null {
  if (!model) return null;
  if (model.ownerId.equals(userId)) return 'owner';
  return row && row.role !== 'owner' ? row.role : null;
}

/** One lookup by _id in each collection, side by side: the cost of one round trip. */
export async function modelRole(db: Db, modelId: string, userId: string): Promise<ModelRole | null> {
  if (!ObjectId.isValid(modelId) || !ObjectId.isValid(userId)) return null;
  const c = collections(db);
  const [model, user] = [new ObjectId(modelId), new ObjectId(userId)];
  const [record, row] = await Promise.all([
    c.models.findOne({ _id: model }, { projection: { ownerId: 1 } }),
    c.modelMembers.findOne({ _id: memberId(model, user) }, { projection: { role: 1 } }),
  ]);
  return roleOf(record, row, user);
}

const RANK: Record<ModelRole, number> = { viewer: 1, editor: 2, owner: 3 };

/**
 * The model, if the user holds at least `needed` on it. Someone with no access at all gets the same
 * NOT_FOUND as for a model that does not exist, so ids cannot be probed.
 */
export async function requireModel(db: Db, modelId: string, userId: ObjectId, needed: ModelRole): Promise<{ model: ModelDoc; role: ModelRole }> {
  const notFound = new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');
  if (!ObjectId.isValid(modelId)) throw notFound;
  const c = collections(db);
  const _id = new ObjectId(modelId);
  const [model, row] = await Promise.all([
    c.models.findOne({ _id }),
    c.modelMembers.findOne({ _id: memberId(_id, userId) }, { projection: { role: 1 } }),
  ]);
  const role = roleOf(model, row, userId);
  if (!model || !role) throw notFound;
  if (RANK[role] < RANK[needed]) {
    throw new AppError('FORBIDDEN', 'MODEL_ROLE_TOO_LOW', needed === 'owner' ? 'Only the owner can do this.' : 'Viewers cannot change this model.');
  }
  return { model, role };
}
