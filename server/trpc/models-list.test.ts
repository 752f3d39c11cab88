import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocFromGraph } from '../../collab/doc';
import { signUp, type PublicUser } from '../auth/users';
import { saveModelSnapshot } from '../models/collab-hooks';
import { syncListing } from '../models/members';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { createCaller } from './root';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('models_list'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
});

/** Every page of someone's list, `limit` at a time. */
async function allPages(user: PublicUser, limit: number) {
  const caller = await as(user);
  const pages: string[][] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof caller.models.list>> = await caller.models.list({ limit, ...(cursor ? { cursor } : {}) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items.map((m) => m.id));
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

/** The order the list promises, worked out from the model records themselves. */
async function newestFirst(ids: string[]): Promise<string[]> {
  const records = await db.collection('models').find({ _id: { $in: ids.map((id) => new ObjectId(id)) } }).toArray();
  records.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString()));
  return records.map((r) => r._id.toHexString());
}

describe('the models list', () => {
  const alices: string[] = [];
  const bobs: string[] = [];

  beforeAll(async () => {
    const a = await as(alice);
    const b = await as(bob);
    for (let i = 0; i < 7; i++) {
      const { id } = await a.models.create({ name: `Alice ${i}` });
      alices.push(id);
      if (i % 2 === 0) await a.models.share({ id, who: 'bob', role: i % 4 === 0 ? 'editor' : 'viewer' });
    }
    for (let i = 0; i < 2; i++) bobs.push((await b.models.create({ name: `Bob ${i}` })).id);
    // Several models edited in the same millisecond: the model id breaks the tie, the same way on every page.
    const same = new Date(Date.now() - 60_000);
    for (const id of [alices[1]!, alices[2]!, alices[4]!, bobs[0]!]) {
      await db.collection('models').updateOne({ _id: new ObjectId(id) }, { $set: { updatedAt: same }, $inc: { rev: 1 } });
      await syncListing(db, new ObjectId(id));
    }
  });

  it('returns each of the owner’s models exactly once across pages, newest first', async () => {
    const pages = await allPages(alice, 3);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(await newestFirst(alices));
    const first = await (await as(alice)).models.list({ limit: 100 });
    expect(first.nextCursor).toBeNull();
    expect(first.items.every((m) => m.mine && m.role === 'owner' && m.owner === 'alice')).toBe(true);
    expect(first.items.find((m) => m.id === alices[0])?.collaborators).toBe(1);
  });

  it('does the same for a collaborator, mixing their own and shared models, with their role', async () => {
    const shared = alices.filter((_, i) => i % 2 === 0);
    const pages = await allPages(bob, 2);
    expect(pages.flat()).toEqual(await newestFirst([...shared, ...bobs]));
    expect(new Set(pages.flat()).size).toBe(6);
    const items = (await (await as(bob)).models.list({})).items;
    expect(items.find((m) => m.id === alices[0])).toMatchObject({ mine: false, owner: 'alice', role: 'editor' });
    expect(items.find((m) => m.id === alices[2])).toMatchObject({ mine: false, owner: 'alice', role: 'viewer' });
    expect(items.find((m) => m.id === bobs[1])).toMatchObject({ mine: true, owner: 'bob', role: 'owner' });
    expect(await allPages(carol, 5)).toEqual([[]]);
  });

  it('moves a renamed or edited model to the top of every member’s list', async () => {
    await (await as(alice)).models.rename({ id: alices[4]!, name: 'Renamed' });
    expect((await (await as(bob)).models.list({ limit: 1 })).items[0]).toMatchObject({ id: alices[4], name: 'Renamed' });

    // The collab server's save of a live document bumps updatedAt the same way.
    const doc = createDocFromGraph({ nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }], edges: [] });
    await saveModelSnapshot(db, alices[0]!, doc);
    expect((await (await as(bob)).models.list({ limit: 1 })).items[0]?.id).toBe(alices[0]);
    expect((await (await as(alice)).models.list({ limit: 1 })).items[0]?.id).toBe(alices[0]);
    expect((await allPages(alice, 4)).flat()).toEqual(await newestFirst(alices));
    doc.destroy();
  });

  it('shows a username change as the owner name in collaborators’ lists', async () => {
    await (await as(alice)).account.updateUsername({ username: 'alice2' });
    const items = (await (await as(bob)).models.list({})).items;
    expect(items.filter((m) => !m.mine).every((m) => m.owner === 'alice2')).toBe(true);
    expect((await (await as(bob)).models.collaborators({ id: alices[0]! }))[0]).toMatchObject({ username: 'alice2', role: 'owner' });
    await (await as(alice)).account.updateUsername({ username: 'alice' });
  });

  it('refuses a bad page size or cursor with a field error', async () => {
    const caller = await as(alice);
    await expect(caller.models.list({ limit: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('at most 100') });
    await expect(caller.models.list({ limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.models.list({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Reload the list') });
    expect((await caller.models.list()).items).toHaveLength(7);
  });
});

describe('counts', () => {
  let admin: PublicUser;
  beforeAll(async () => {
    admin = await signUp(db, { email: 'root@example.com', username: 'root', password: 'root-password-1' }, 'admin');
  });

  /** What the dashboard must say, counted from the collections themselves. */
  async function realCounts(user: PublicUser) {
    const userId = new ObjectId(user.id);
    return {
      models: await db.collection('models').countDocuments({ ownerId: userId }),
      sharedModels: await db.collection('modelMembers').countDocuments({ userId, role: { $ne: 'owner' } }),
    };
  }

  async function expectCountsRight() {
    for (const user of [alice, bob, carol, admin]) {
      expect(await (await as(user)).dashboard.counts()).toMatchObject(await realCounts(user));
    }
    const { counts } = await (await as(admin)).admin.overview();
    expect(counts).toMatchObject({
      users: await db.collection('users').countDocuments({}),
      models: await db.collection('models').countDocuments({}),
    });
    // The list's collaborator count is the access list's length.
    for (const user of [alice, bob]) {
      for (const m of (await (await as(user)).models.list({ limit: 100 })).items.filter((i) => i.mine)) {
        expect(m.collaborators).toBe((await (await as(user)).models.collaborators({ id: m.id })).length - 1);
      }
    }
  }

  it('stay equal to the real counts through create, share, role change, unshare, leave, duplicate and delete', async () => {
    await expectCountsRight();
    const a = await as(alice);
    const { id } = await a.models.create({ name: 'Counted' });
    await expectCountsRight();
    await a.models.share({ id, who: 'bob', role: 'viewer' });
    await a.models.share({ id, who: 'carol', role: 'editor' });
    await a.models.share({ id, who: 'bob', role: 'editor' });
    await expectCountsRight();
    expect((await a.models.list({ limit: 1 })).items[0]).toMatchObject({ id, collaborators: 2 });
    await a.models.unshare({ id, userId: carol.id });
    await (await as(bob)).models.unshare({ id, userId: bob.id });
    await expectCountsRight();
    await a.models.share({ id, who: 'carol', role: 'viewer' });
    const { id: copy } = await (await as(carol)).models.duplicate({ id });
    await expectCountsRight();
    expect((await (await as(carol)).dashboard.counts()).models).toBe(1);
    await a.models.delete({ id });
    await (await as(carol)).models.delete({ id: copy });
    await expectCountsRight();
    expect(await db.collection('modelMembers').countDocuments({ modelId: new ObjectId(id) })).toBe(0);
  });

  it('stays exact when shares and edits happen at the same moment', async () => {
    const a = await as(alice);
    const { id } = await a.models.create({ name: 'Raced' });
    const others = await Promise.all([a.models.create({ name: 'Raced 2' }), a.models.create({ name: 'Raced 3' })]);
    // The same person twice, two people at once, one person on three models at once, and a rename
    // and a save of the live document landing together: each must land, with no write undoing
    // another.
    const doc = createDocFromGraph({ nodes: [], edges: [] });
    await Promise.all([
      a.models.share({ id, who: 'bob', role: 'viewer' }),
      a.models.share({ id, who: 'bob', role: 'viewer' }),
      a.models.share({ id, who: 'carol', role: 'editor' }),
      ...others.map((m) => a.models.share({ id: m.id, who: 'bob', role: 'editor' })),
      a.models.rename({ id, name: 'Raced, renamed' }),
      saveModelSnapshot(db, id, doc),
    ]);
    doc.destroy();
    expect((await a.models.collaborators({ id })).map((p) => p.username).sort()).toEqual(['alice', 'bob', 'carol']);
    expect((await a.models.get({ id })).name).toBe('Raced, renamed');
    const listed = (await (await as(bob)).models.list({})).items.find((m) => m.id === id);
    expect(listed).toMatchObject({ name: 'Raced, renamed', collaborators: 2, role: 'viewer' });
    await expect(a.models.unshare({ id, userId: admin.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'That person is not a collaborator.' });
    await expectCountsRight();
  });
});
