import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import { recount } from '../db/counters';
import { collections, type ModelDoc, type ModelMemberDoc } from '../db/collections';
import { displayName, LISTING_PROJECTION, putMemberRow, removeAllMembers, syncListing, type Person } from './members';

/** A model record from before modelMembers: its access list was an array on the record. */
type LegacyModel = Pick<ModelDoc, '_id' | 'ownerId' | 'name' | 'updatedAt'> & {
  collaborators?: { userId: ObjectId; role: 'editor' | 'viewer' }[];
};

// Indexes an earlier version created and nothing queries any more.
const LEGACY_MODEL_INDEXES = ['collaborator', 'dataset'];

async function peopleById(db: Db, ids: ObjectId[]): Promise<(id: ObjectId) => Person> {
  const users = ids.length === 0 ? [] : await collections(db).users.find({ _id: { $in: ids } }, { projection: { email: 1, username: 1 } }).toArray();
  const byId = new Map(users.map((u) => [u._id.toHexString(), u]));
  // An account deleted since still gets a row, so the access list keeps its shape; it shows the id.
  return (id) => byId.get(id.toHexString()) ?? { _id: id, email: id.toHexString() };
}

/**
 * Rows first, then the record loses its array in one update: a crash in between leaves the array,
 * and the next run writes the same rows again (upserts by deterministic _id) before removing it.
 */
async function convertLegacyModels(db: Db): Promise<number> {
  const models = db.collection<LegacyModel>('models');
  const legacy = await models.find({ collaborators: { $exists: true } }, { projection: { ownerId: 1, name: 1, updatedAt: 1, collaborators: 1 } }).toArray();
  if (legacy.length === 0) return 0;
  const person = await peopleById(db, legacy.flatMap((m) => [m.ownerId, ...(m.collaborators ?? []).map((c) => c.userId)]));
  for (const doc of legacy) {
    // One entry per person (the last wins), never the owner.
    const collaborators = new Map<string, { userId: ObjectId; role: 'editor' | 'viewer' }>();
    for (const c of doc.collaborators ?? []) if (!c.userId.equals(doc.ownerId)) collaborators.set(c.userId.toHexString(), c);
    const ownerName = displayName(person(doc.ownerId));
    // The rows copy the record as it will be after the update below: version 0.
    const converted = { ...doc, memberCount: collaborators.size, listingRev: 0 };
    await putMemberRow(db, converted, ownerName, person(doc.ownerId), 'owner');
    for (const c of collaborators.values()) await putMemberRow(db, converted, ownerName, person(c.userId), c.role);
    // `rev` guarded the array's read-modify-write updates; listingRev is a different thing.
    await models.updateOne(
      { _id: doc._id, collaborators: { $exists: true } },
      { $unset: { collaborators: '', rev: '' }, $set: { memberCount: collaborators.size, listingRev: 0 } },
    );
  }
  return legacy.length;
}

async function dropLegacyIndexes(db: Db): Promise<void> {
  const { models } = collections(db);
  let existing: string[];
  try {
    existing = (await models.indexes()).map((i) => String(i.name));
  } catch (error) {
    if (error instanceof MongoServerError && error.code === 26) return; // no models collection yet
    throw error;
  }
  for (const name of LEGACY_MODEL_INDEXES) if (existing.includes(name)) await models.dropIndex(name);
}

type ListedModel = Pick<ModelDoc, '_id' | 'ownerId' | 'name' | 'updatedAt' | 'memberCount' | 'listingRev'>;
type Copy = Pick<ModelMemberDoc, '_id' | 'name' | 'memberCount' | 'modelUpdatedAt' | 'listingRev'>;

function copyIsCurrent(copy: Copy, model: ListedModel): boolean {
  return (
    copy.listingRev === model.listingRev &&
    copy.name === model.name &&
    copy.memberCount === model.memberCount &&
    copy.modelUpdatedAt.getTime() === model.updatedAt.getTime()
  );
}

/**
 * Heals what an interrupted operation can leave behind (each is a sequence of single-document
 * writes): rows of a deleted model, a model without its owner's row, a place taken or kept with no
 * row (memberCount above the rows), listing copies that missed their model's last change. Records
 * and rows from before versioned listings get their fields here.
 */
async function repairMembers(db: Db): Promise<void> {
  const c = collections(db);
  const models = new Map<string, ListedModel>();
  for await (const m of c.models.find({}, { projection: LISTING_PROJECTION })) models.set(m._id.toHexString(), m);
  type Seen = { modelId: ObjectId; owner: boolean; shared: number; copies: Copy[] };
  const rows = new Map<string, Seen>();
  const unversioned: string[] = [];
  for await (const r of c.modelMembers.find({}, { projection: { modelId: 1, role: 1, name: 1, memberCount: 1, modelUpdatedAt: 1, listingRev: 1 } })) {
    const key = r.modelId.toHexString();
    const seen = rows.get(key) ?? { modelId: r.modelId, owner: false, shared: 0, copies: [] };
    if (r.role === 'owner') seen.owner = true;
    else seen.shared++;
    seen.copies.push(r);
    if (typeof r.listingRev !== 'number') unversioned.push(r._id);
    rows.set(key, seen);
  }
  // Older than any version, so the syncs below overwrite them.
  if (unversioned.length > 0) await c.modelMembers.updateMany({ _id: { $in: unversioned } }, { $set: { listingRev: -1 } });
  for (const [key, seen] of rows) if (!models.has(key)) await removeAllMembers(db, seen.modelId);
  const ownerless = [...models.values()].filter((m) => !rows.get(m._id.toHexString())?.owner);
  const person = await peopleById(db, ownerless.map((m) => m.ownerId));
  for (const model of models.values()) {
    const seen = rows.get(model._id.toHexString()) ?? { owner: false, shared: 0, copies: [] };
    const settled = model.memberCount === seen.shared && typeof model.listingRev === 'number' && seen.copies.every((r) => copyIsCurrent(r, model));
    // A new version (the count from the rows), so every copy is older than it and the sync reaches all.
    if (!settled) await c.models.updateOne({ _id: model._id }, { $set: { memberCount: seen.shared }, $inc: { listingRev: 1 } });
    const current = settled ? model : await c.models.findOne({ _id: model._id }, { projection: LISTING_PROJECTION });
    if (!current) continue;
    if (!seen.owner) await putMemberRow(db, current, displayName(person(model.ownerId)), person(model.ownerId), 'owner');
    if (!settled) await syncListing(db, model._id);
  }
}

/**
 * Brings any database up to the modelMembers shape and repairs it; idempotent, run at every start
 * after the indexes. Reads every model and membership row once (small projections), then rebuilds
 * the counters from what is there.
 */
export async function migrateModelMembers(db: Db): Promise<{ converted: number }> {
  const converted = await convertLegacyModels(db);
  await dropLegacyIndexes(db);
  await repairMembers(db);
  await recount(db);
  return { converted };
}
