import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import { bumpUserCounters } from '../db/counters';
import { collections, type MemberRole, type ModelDoc, type ModelMemberDoc, type UserDoc } from '../db/collections';
import { memberId } from './access';

/** A person as membership rows show them. */
export type Person = Pick<UserDoc, '_id' | 'email' | 'username'>;

export function displayName(person: Pick<UserDoc, 'email' | 'username'>): string {
  return person.username ?? person.email;
}

// 15 digits of milliseconds last until the year 33658; fixed width makes string order time order.
const LIST_KEY_DIGITS = 15;

/** Sorts the models list newest first, with the model id as a stable tiebreak, in one indexed field. */
export function listKeyOf(updatedAt: Date, modelId: ObjectId): string {
  return `${String(updatedAt.getTime()).padStart(LIST_KEY_DIGITS, '0')}${modelId.toHexString()}`;
}

export const LIST_KEY_PATTERN = /^\d{15}[0-9a-f]{24}$/;

type ListingSource = Pick<ModelDoc, '_id' | 'name' | 'updatedAt'>;
export const LISTING_PROJECTION = { name: 1, updatedAt: 1, ownerId: 1 } as const;

/** What a membership row copies from its model. */
export function listingOf(model: ListingSource, memberCount: number): Pick<ModelMemberDoc, 'name' | 'memberCount' | 'modelUpdatedAt' | 'listKey'> {
  return { name: model.name, memberCount, modelUpdatedAt: model.updatedAt, listKey: listKeyOf(model.updatedAt, model._id) };
}

/** People the model is shared with, the owner not counted: its rows, bounded by the sharing cap. */
export async function countShared(db: Db, modelId: ObjectId): Promise<number> {
  return collections(db).modelMembers.countDocuments({ modelId, role: { $ne: 'owner' } });
}

/**
 * Gives `person` `role` on the model (a new row, or a new role on theirs). Returns whether the row is
 * new. Keyed by `${modelId}:${userId}`, so a retry or a concurrent add of the same person stays one row.
 */
export async function putMemberRow(
  db: Db,
  model: ListingSource & Pick<ModelDoc, 'ownerId'>,
  ownerName: string,
  person: Person,
  role: MemberRole,
  memberCount: number,
): Promise<boolean> {
  const { modelMembers } = collections(db);
  const insert = {
    modelId: model._id,
    userId: person._id,
    addedAt: new Date(),
    username: person.username ?? null,
    email: person.email,
    ownerId: model.ownerId,
    ownerName,
    ...listingOf(model, memberCount),
  };
  const write = () => modelMembers.updateOne({ _id: memberId(model._id, person._id) }, { $setOnInsert: insert, $set: { role } }, { upsert: true });
  try {
    return (await write()).upsertedCount === 1;
  } catch (error) {
    // Two first-time upserts of one _id can race; the loser's retry updates the winner's row.
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    return (await write()).upsertedCount === 1;
  }
}

/**
 * Copies the model's current name, updatedAt and member count onto all its rows. Two of these racing
 * can land in the other order, leaving the older view on the rows until the model's next write.
 */
export async function syncListing(db: Db, modelId: ObjectId): Promise<void> {
  const c = collections(db);
  const [model, memberCount] = await Promise.all([c.models.findOne({ _id: modelId }, { projection: LISTING_PROJECTION }), countShared(db, modelId)]);
  if (!model) return;
  await c.modelMembers.updateMany({ modelId }, { $set: listingOf(model, memberCount) });
}

/** After a username change: the person's rows and the rows of models they own show the new name. */
export async function renamePersonInModels(db: Db, person: Person): Promise<void> {
  const { modelMembers } = collections(db);
  const [theirs, owned] = await Promise.all([
    modelMembers.find({ userId: person._id }, { projection: { modelId: 1 } }).toArray(),
    modelMembers.find({ ownerId: person._id }, { projection: { modelId: 1 } }).toArray(),
  ]);
  const models = new Map([...theirs, ...owned].map((r) => [r.modelId.toHexString(), r.modelId]));
  await Promise.all(
    [...models.values()].map(async (modelId) => {
      await modelMembers.updateOne({ _id: memberId(modelId, person._id) }, { $set: { username: person.username ?? null, email: person.email } });
      await modelMembers.updateMany({ modelId, ownerId: person._id }, { $set: { ownerName: displayName(person) } });
    }),
  );
}

/** Removes every row of a (deleted) model, keeping each person's counts in step with what was removed. */
export async function removeAllMembers(db: Db, modelId: ObjectId): Promise<void> {
  const { modelMembers } = collections(db);
  const rows = await modelMembers.find({ modelId }, { projection: { userId: 1, role: 1 } }).toArray();
  await Promise.all(
    rows.map(async (row) => {
      const { deletedCount } = await modelMembers.deleteOne({ _id: row._id });
      if (deletedCount === 1) await bumpUserCounters(db, row.userId, row.role === 'owner' ? { models: -1 } : { sharedWithMe: -1 });
    }),
  );
}
