import { ObjectId, type Db } from 'mongodb';
import type { RoomRole } from '../../collab/server/ticket';
import { collections, type ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

export type ModelRole = RoomRole;

export function roleIn(model: Pick<ModelDoc, 'ownerId' | 'collaborators'>, userId: ObjectId): ModelRole | null {
  if (model.ownerId.equals(userId)) return 'owner';
  return model.collaborators.find((c) => c.userId.equals(userId))?.role ?? null;
}

export async function modelRole(db: Db, modelId: string, userId: string): Promise<ModelRole | null> {
  if (!ObjectId.isValid(modelId) || !ObjectId.isValid(userId)) return null;
  const model = await collections(db).models.findOne({ _id: new ObjectId(modelId) }, { projection: { ownerId: 1, collaborators: 1 } });
  return model ? roleIn(model, new ObjectId(userId)) : null;
}

const RANK: Record<ModelRole, number> = { viewer: 1, editor: 2, owner: 3 };

/**
 * The model, if the user holds at least `needed` on it. Someone with no access at all gets the same
 * NOT_FOUND as for a model that does not exist, so ids cannot be probed.
 */
export async function requireModel(db: Db, modelId: string, userId: ObjectId, needed: ModelRole): Promise<{ model: ModelDoc; role: ModelRole }> {
  const notFound = new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');
  if (!ObjectId.isValid(modelId)) throw notFound;
  const model = await collections(db).models.findOne({ _id: new ObjectId(modelId) });
  const role = model ? roleIn(model, userId) : null;
  if (!model || !role) throw notFound;
  if (RANK[role] < RANK[needed]) {
    throw new AppError('FORBIDDEN', 'MODEL_ROLE_TOO_LOW', needed === 'owner' ? 'Only the owner can do this.' : 'Viewers cannot change this model.');
  }
  return { model, role };
}
