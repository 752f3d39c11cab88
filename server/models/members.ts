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

type ListingSource = Pick<ModelDoc, '_id' | 'name' | 'updatedAt' | 'memberCount' | 'listingRev'>;
export const LISTING_PROJECTION = { name: 1, updatedAt: 1, ownerId: 1, memberCount: 1, listingRev: 1 } as const;

/** What a membership row copies from its model, with the version it was copied at. */
export function listingOf(model: ListingSource): Pick<ModelMemberDoc, 'name' | 'memberCount' | 'modelUpdatedAt' | 'listKey' | 'listingRev'> {
  return {
    name: model.name,
    memberCount: model.memberCount,
    modelUpdatedAt: model.updatedAt,
    listKey: listKeyOf(model.updatedAt, model._id),
    listingRev: model.listingRev,
  };
}

/**
 * Gives `person` `role` on the model (a new row, or a new role on theirs). Returns whether the row is
 * new. Keyed by `${modelId}:${userId}`, so a retry or a concurrent add of the same person stays one row.
 * A new row copies `model` as read, with its listingRev, so a sync already under way cannot age it.
 */
export async function putMemberRow(db: Db, model: ListingSource & Pick<ModelDoc, 'ownerId'>, ownerName: string, person: Person, role: MemberRole): Promise<boolean> {
  const { modelMembers } = collections(db);
  const insert = {
    modelId: model._id,
    userId: person._id,
    addedAt: new Date(),
    username: person.username ?? null,
    email: person.email,
    ownerId: model.ownerId,
    ownerName,
    ...listingOf(model),
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
 * Writes one read of the model onto its rows that hold an older version. A read that lands late,
 * after a newer one was written, changes nothing, so a row only ever moves forward.
 */
export async function copyListing(db: Db, model: ListingSource): Promise<void> {
  await collections(db).modelMembers.updateMany({ modelId: model._id, listingRev: { $lt: model.listingRev } }, { $set: listingOf(model) });
}

/**
 * Copies the model's current name, updatedAt and member count onto its rows. Syncs racing may land
 * in any order; the one after the last change leaves every row at that change. Returns whether the
 * model still exists (read after the caller's own write, so it doubles as a re-check).
 */
export async function syncListing(db: Db, modelId: ObjectId): Promise<boolean> {
  const model = await collections(db).models.findOne({ _id: modelId }, { projection: LISTING_PROJECTION });
  if (!model) return false;
  await copyListing(db, model);
  return true;
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
