import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import { bulkUpdate } from './bulk-update';
import { collections } from './collections';

/**
 * Counts kept as counters: FerretDB answers `countDocuments({})` and counts by non-indexed fields by
 * reading every document, so dashboards read these instead. Each is a single-document $inc next to
 * the insert or delete it follows; $inc is atomic on MongoDB, and on the embedded FerretDB through
 * the patch it is built with (scripts/ferretdb/document-write-locks.patch, proved by atomic-writes.test.ts).
 * A crash between the write and its $inc can leave a counter one off: `recount` (run at start)
 * repairs that.
 */
export type GlobalCounter = 'users' | 'models' | 'jobs' | 'machines';
export const GLOBAL_COUNTERS: readonly GlobalCounter[] = ['users', 'models', 'jobs', 'machines'];

export type UserCounter = 'models' | 'sharedWithMe';

// Two first-time upserts of the same _id can race to insert it; the loser's retry finds it.
async function upsertWithRetry(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    await write();
  }
}

export async function bumpCounter(db: Db, name: GlobalCounter, delta: number): Promise<void> {
  await upsertWithRetry(() => collections(db).counters.updateOne({ _id: name }, { $inc: { n: delta } }, { upsert: true }));
}

export async function bumpUserCounters(db: Db, userId: ObjectId, deltas: Partial<Record<UserCounter, number>>): Promise<void> {
  await upsertWithRetry(() => collections(db).userCounters.updateOne({ _id: userId }, { $inc: deltas }, { upsert: true }));
}

export async function readCounters(db: Db): Promise<Record<GlobalCounter, number>> {
  // A handful of documents: reading them all is one small round trip.
  const docs = await collections(db).counters.find({}).toArray();
  const byName = new Map(docs.map((d) => [d._id, d.n]));
  return Object.fromEntries(GLOBAL_COUNTERS.map((name) => [name, byName.get(name) ?? 0])) as Record<GlobalCounter, number>;
}

export async function readUserCounters(db: Db, userId: ObjectId): Promise<Record<UserCounter, number>> {
  const doc = await collections(db).userCounters.findOne({ _id: userId });
  return { models: doc?.models ?? 0, sharedWithMe: doc?.sharedWithMe ?? 0 };
}

/**
 * Rebuilds every counter from the collections themselves (a full read of each, so only at start-up,
 * before requests are served: an $inc landing during it could be overwritten).
 */
export async function recount(db: Db): Promise<void> {
  const c = collections(db);
  const totals = await Promise.all(
    GLOBAL_COUNTERS.map(async (name) => [name, await db.collection(name).countDocuments({})] as const),
  );
  await bulkUpdate(c.counters, totals.map(([name, n]) => ({ updateOne: { filter: { _id: name }, update: { $set: { n } }, upsert: true } })));

  const perUser = new Map<string, { userId: ObjectId; models: number; sharedWithMe: number }>();
  const entry = (userId: ObjectId) => {
    const key = userId.toHexString();
    let found = perUser.get(key);
    if (!found) perUser.set(key, (found = { userId, models: 0, sharedWithMe: 0 }));
    return found;
  };
  for await (const row of c.modelMembers.find({}, { projection: { userId: 1, role: 1 } })) {
    const counts = entry(row.userId);
    if (row.role === 'owner') counts.models++;
    else counts.sharedWithMe++;
  }
  // People whose last model went away still have a counters document: bring it to zero.
  for await (const doc of c.userCounters.find({}, { projection: { _id: 1 } })) entry(doc._id);
  const writes = [...perUser.values()].map(({ userId, models, sharedWithMe }) => ({
    updateOne: { filter: { _id: userId }, update: { $set: { models, sharedWithMe } }, upsert: true },
  }));
  // bulkUpdate: one command of 50 or more hangs FerretDB v1 (see bulk-update.ts), and there is one write per user.
  await bulkUpdate(c.userCounters, writes);
}
