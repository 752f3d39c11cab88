import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { readCounters, readUserCounters } from '../db/counters';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { migrateModelMembers } from './migrate-members';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const oid = (user: PublicUser) => new ObjectId(user.id);

beforeAll(async () => {
  ({ db } = await useTestDatabase('migrate_members'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
});

/** A model record as the previous version stored it: the access list as an array on the record. */
async function legacyModel(name: string, owner: PublicUser, collaborators: { userId: ObjectId; role: 'editor' | 'viewer' }[], updatedAt: Date) {
  const _id = new ObjectId();
  await db.collection('models').insertOne({ _id, ownerId: oid(owner), name, graph: { nodes: [], edges: [] }, layout: {}, collaborators, rev: 3, createdAt: updatedAt, updatedAt });
  return _id;
}

async function rowsOf(modelId: ObjectId) {
  const rows = await db.collection('modelMembers').find({ modelId }).sort({ _id: 1 }).toArray();
  return rows.map((r) => ({ _id: r._id, role: r.role, username: r.username, ownerName: r.ownerName, name: r.name, memberCount: r.memberCount, listingRev: r.listingRev }));
}

describe('migrateModelMembers', () => {
  it('turns old-shape records into membership rows, once, however often it runs', async () => {
    const shared = await legacyModel('Shared', alice, [{ userId: oid(bob), role: 'editor' }, { userId: oid(carol), role: 'viewer' }, { userId: oid(bob), role: 'editor' }], new Date(Date.now() - 1000));
    const solo = await legacyModel('Solo', bob, [], new Date(Date.now() - 2000));
    await db.collection('models').createIndex({ 'collaborators.userId': 1 }, { name: 'collaborator' });

    expect(await migrateModelMembers(db)).toEqual({ converted: 2 });
    const expected = [
      { _id: `${shared.toHexString()}:${alice.id}`, role: 'owner', username: 'alice', ownerName: 'alice', name: 'Shared', memberCount: 2, listingRev: 0 },
      { _id: `${shared.toHexString()}:${bob.id}`, role: 'editor', username: 'bob', ownerName: 'alice', name: 'Shared', memberCount: 2, listingRev: 0 },
      { _id: `${shared.toHexString()}:${carol.id}`, role: 'viewer', username: 'carol', ownerName: 'alice', name: 'Shared', memberCount: 2, listingRev: 0 },
    ].sort((a, b) => a._id.localeCompare(b._id));
    expect(await rowsOf(shared)).toEqual(expected);
    expect(await rowsOf(solo)).toEqual([{ _id: `${solo.toHexString()}:${bob.id}`, role: 'owner', username: 'bob', ownerName: 'bob', name: 'Solo', memberCount: 0, listingRev: 0 }]);
    const record = await db.collection('models').findOne({ _id: shared });
    expect(record).not.toHaveProperty('collaborators');
    expect(record).not.toHaveProperty('rev');
    expect(record).toMatchObject({ memberCount: 2, listingRev: 0 });
    expect((await db.collection('models').indexes()).map((i) => i.name)).not.toContain('collaborator');

    expect(await migrateModelMembers(db)).toEqual({ converted: 0 });
    expect(await rowsOf(shared)).toEqual(expected);
    expect(await db.collection('modelMembers').countDocuments({})).toBe(4);

    // The migrated lists work through the app.
    expect((await (await as(carol)).models.list({})).items).toEqual([expect.objectContaining({ id: shared.toHexString(), owner: 'alice', role: 'viewer', collaborators: 2 })]);
    expect((await (await as(bob)).models.list({})).items.map((m) => m.name)).toEqual(['Shared', 'Solo']);
    await (await as(bob)).models.rename({ id: shared.toHexString(), name: 'Shared, renamed' });
    await expect((await as(carol)).models.rename({ id: shared.toHexString(), name: 'No' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await readUserCounters(db, oid(bob))).toEqual({ models: 1, sharedWithMe: 1 });
    expect(await readCounters(db)).toMatchObject({ users: 3, models: 2 });
  });

  it('repairs what an interrupted operation left: rows of a deleted model, a missing owner row, stale copies, counters', async () => {
    const { id } = await (await as(carol)).models.create({ name: 'Doomed' });
    await (await as(carol)).models.share({ id, who: 'alice', role: 'viewer' });
    // A delete that stopped after removing the record.
    await db.collection('models').deleteOne({ _id: new ObjectId(id) });
    // A create that stopped after inserting the record.
    const orphan = new ObjectId();
    const now = new Date();
    await db.collection('models').insertOne({ _id: orphan, ownerId: oid(alice), name: 'Rowless', graph: { nodes: [], edges: [] }, layout: {}, createdAt: now, updatedAt: now });
    // A rename whose copy onto the rows never happened.
    const { id: renamed } = await (await as(alice)).models.create({ name: 'Old name' });
    await db.collection('models').updateOne({ _id: new ObjectId(renamed) }, { $set: { name: 'New name' } });
    await db.collection('counters').updateOne({ _id: 'models' as unknown as ObjectId }, { $set: { n: 99 } });
    // A share that took a place and stopped before writing its row, on a model whose rows predate versions.
    const { id: kept } = await (await as(bob)).models.create({ name: 'Kept place' });
    await (await as(bob)).models.share({ id: kept, who: 'carol', role: 'editor' });
    await db.collection('models').updateOne({ _id: new ObjectId(kept) }, { $inc: { memberCount: 1, listingRev: 1 } });
    await db.collection('modelMembers').updateMany({ modelId: new ObjectId(kept) }, { $unset: { listingRev: '' } });

    await migrateModelMembers(db);
    expect(await db.collection('modelMembers').countDocuments({ modelId: new ObjectId(id) })).toBe(0);
    expect(await rowsOf(orphan)).toEqual([{ _id: `${orphan.toHexString()}:${alice.id}`, role: 'owner', username: 'alice', ownerName: 'alice', name: 'Rowless', memberCount: 0, listingRev: 1 }]);
    expect(await db.collection('models').findOne({ _id: orphan })).toMatchObject({ memberCount: 0, listingRev: 1 });
    const keptRecord = await db.collection('models').findOne({ _id: new ObjectId(kept) });
    expect(keptRecord).toMatchObject({ memberCount: 1 });
    expect((await rowsOf(new ObjectId(kept))).map((r) => `${r.role} ${r.memberCount} ${r.listingRev}`).sort()).toEqual(
      [`editor 1 ${keptRecord!.listingRev}`, `owner 1 ${keptRecord!.listingRev}`],
    );
    const alicesList = (await (await as(alice)).models.list({})).items;
    expect(alicesList.map((m) => m.name).sort()).toEqual(['New name', 'Rowless', 'Shared, renamed']);
    expect(await readUserCounters(db, oid(carol))).toEqual({ models: 0, sharedWithMe: 2 });
    expect(await readUserCounters(db, oid(alice))).toEqual({ models: 3, sharedWithMe: 0 });
    expect(await readCounters(db)).toMatchObject({ users: 3, models: await db.collection('models').countDocuments({}) });

    // The repaired count works as the cap's counter again: a share and an unshare each move it by one.
    await (await as(bob)).models.share({ id: kept, who: 'alice', role: 'viewer' });
    expect(await db.collection('models').findOne({ _id: new ObjectId(kept) })).toMatchObject({ memberCount: 2 });
    await (await as(bob)).models.unshare({ id: kept, userId: carol.id });
    expect(await db.collection('models').findOne({ _id: new ObjectId(kept) })).toMatchObject({ memberCount: 1 });
    expect((await (await as(alice)).models.list({})).items.find((m) => m.id === kept)).toMatchObject({ collaborators: 1, role: 'viewer' });
  });
});
