import type { Db, ObjectId } from 'mongodb';
import { bumpUserCounters } from '../db/counters';
import { collections, type ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { memberId } from './access';
import { countShared, LISTING_PROJECTION, putMemberRow, syncListing, type Person } from './members';

export const MAX_COLLABORATORS = 50;

type SharedRole = 'editor' | 'viewer';

const modelGone = () => new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');

/**
 * Adds a person as editor or viewer, or changes their role; returns the role they had before, if
 * any. The cap is checked by counting the model's rows before the new row is written; nothing
 * reserves a place, so shares of different people landing at the same moment can each pass it.
 */
export async function addCollaborator(db: Db, model: Pick<ModelDoc, '_id'>, ownerName: string, person: Person, role: SharedRole): Promise<SharedRole | null> {
  const c = collections(db);
  const modelId = model._id;
  const existing = await c.modelMembers.findOne({ _id: memberId(modelId, person._id) }, { projection: { role: 1 } });
  if (existing?.role === 'owner') throw new AppError('BAD_REQUEST', 'ALREADY_OWNER', 'That is the owner of this model.', 'who');
  if (existing) {
    if (existing.role !== role) await c.modelMembers.updateOne({ _id: existing._id }, { $set: { role } });
    return existing.role;
  }
  const [current, shared] = await Promise.all([c.models.findOne({ _id: modelId }, { projection: LISTING_PROJECTION }), countShared(db, modelId)]);
  if (!current) throw modelGone();
  if (shared >= MAX_COLLABORATORS) {
    throw new AppError('BAD_REQUEST', 'TOO_MANY_COLLABORATORS', `A model can be shared with at most ${MAX_COLLABORATORS} people.`, 'who');
  }
  if (await putMemberRow(db, current, ownerName, person, role, shared + 1)) await bumpUserCounters(db, person._id, { sharedWithMe: 1 });
  await syncListing(db, modelId);
  return null;
}

/** Removes a person's access (never the owner's). */
export async function removeCollaborator(db: Db, modelId: ObjectId, userId: ObjectId): Promise<void> {
  const c = collections(db);
  const { deletedCount } = await c.modelMembers.deleteOne({ _id: memberId(modelId, userId), role: { $ne: 'owner' } });
  if (deletedCount !== 1) throw new AppError('NOT_FOUND', 'COLLABORATOR_NOT_FOUND', 'That person is not a collaborator.', 'userId');
  await bumpUserCounters(db, userId, { sharedWithMe: -1 });
  await syncListing(db, modelId);
}

export interface Collaborator {
  userId: string;
  username: string | null;
  email: string | null;
  role: 'owner' | SharedRole;
}

/** The owner first, then people in the order they were added: one query, bounded by the cap. */
export async function listCollaborators(db: Db, modelId: ObjectId): Promise<Collaborator[]> {
  const rows = await collections(db)
    .modelMembers.find({ modelId }, { projection: { userId: 1, username: 1, email: 1, role: 1, addedAt: 1 } })
    .toArray();
  rows.sort((a, b) => Number(b.role === 'owner') - Number(a.role === 'owner') || a.addedAt.getTime() - b.addedAt.getTime() || a._id.localeCompare(b._id));
  return rows.map((r) => ({ userId: r.userId.toHexString(), username: r.username, email: r.email, role: r.role }));
}
