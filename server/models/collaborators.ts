import type { Db, ObjectId } from 'mongodb';
import { bumpUserCounters } from '../db/counters';
import { collections, type ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { memberId } from './access';
import { LISTING_PROJECTION, putMemberRow, syncListing, type Person } from './members';

export const MAX_COLLABORATORS = 50;

type SharedRole = 'editor' | 'viewer';

const modelGone = () => new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');

/**
 * Takes one of the model's places: the count check and the count in one conditional update, so
 * shares landing together cannot all pass the cap.
 */
async function reservePlace(db: Db, modelId: ObjectId): Promise<void> {
  const { models } = collections(db);
  const { matchedCount } = await models.updateOne({ _id: modelId, memberCount: { $lt: MAX_COLLABORATORS } }, { $inc: { memberCount: 1, listingRev: 1 } });
  if (matchedCount === 1) return;
  if (!(await models.findOne({ _id: modelId }, { projection: { _id: 1 } }))) throw modelGone();
  throw new AppError('BAD_REQUEST', 'TOO_MANY_COLLABORATORS', `A model can be shared with at most ${MAX_COLLABORATORS} people.`, 'who');
}

/** Gives a place back; on a model deleted since, nothing is left to give it back to. */
async function releasePlace(db: Db, modelId: ObjectId): Promise<void> {
  await collections(db).models.updateOne({ _id: modelId }, { $inc: { memberCount: -1, listingRev: 1 } });
}

/** Removes a shared row, keeping the person's count in step; whoever deletes it counts it. */
async function dropSharedRow(db: Db, modelId: ObjectId, userId: ObjectId): Promise<boolean> {
  const { deletedCount } = await collections(db).modelMembers.deleteOne({ _id: memberId(modelId, userId), role: { $ne: 'owner' } });
  if (deletedCount === 1) await bumpUserCounters(db, userId, { sharedWithMe: -1 });
  return deletedCount === 1;
}

/**
 * Adds a person as editor or viewer, or changes their role; returns the role they had before, if
 * any. A new person first takes a place on the model, then gets their row; if a concurrent add of
 * the same person wrote the row first, the place goes back. The model is read again after the row
 * is written: a delete that removed the record before that read may have listed the rows before
 * this one existed, so the row is removed here; otherwise the delete's own sweep sees it.
 */
export async function addCollaborator(db: Db, model: Pick<ModelDoc, '_id'>, ownerName: string, person: Person, role: SharedRole): Promise<SharedRole | null> {
  const c = collections(db);
  const modelId = model._id;
  // The listing as read before the place is taken: a new row starts at that older version, and the
  // sync below brings it to the current one.
  const [existing, listed] = await Promise.all([
    c.modelMembers.findOne({ _id: memberId(modelId, person._id) }, { projection: { role: 1 } }),
    c.models.findOne({ _id: modelId }, { projection: LISTING_PROJECTION }),
  ]);
  if (!listed) throw modelGone();
  if (existing?.role === 'owner') throw new AppError('BAD_REQUEST', 'ALREADY_OWNER', 'That is the owner of this model.', 'who');
  if (existing) {
    if (existing.role !== role) await c.modelMembers.updateOne({ _id: existing._id }, { $set: { role } });
    return existing.role;
  }
  await reservePlace(db, modelId);
  if (!(await putMemberRow(db, listed, ownerName, person, role))) {
    await releasePlace(db, modelId);
    await syncListing(db, modelId);
    return null;
  }
  await bumpUserCounters(db, person._id, { sharedWithMe: 1 });
  if (!(await syncListing(db, modelId))) {
    await dropSharedRow(db, modelId, person._id);
    throw modelGone();
  }
  return null;
}

/** Removes a person's access (never the owner's); their place is given back after the row is gone. */
export async function removeCollaborator(db: Db, modelId: ObjectId, userId: ObjectId): Promise<void> {
  if (!(await dropSharedRow(db, modelId, userId))) throw new AppError('NOT_FOUND', 'COLLABORATOR_NOT_FOUND', 'That person is not a collaborator.', 'userId');
  await releasePlace(db, modelId);
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
