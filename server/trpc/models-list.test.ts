import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocFromGraph } from '../../collab/doc';
import { signUp, type PublicUser } from '../auth/users';
import type { ModelDoc } from '../db/collections';
import { readUserCounters } from '../db/counters';
import { saveModelSnapshot } from '../models/collab-hooks';
import { addCollaborator, MAX_COLLABORATORS } from '../models/collaborators';
import { copyListing, LISTING_PROJECTION, syncListing } from '../models/members';
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

/** Every row of the model carries the record's current name, updatedAt, count and version. */
async function expectRowsCurrent(id: string) {
  const modelId = new ObjectId(id);
  const record = await db.collection('models').findOne({ _id: modelId });
  const rows = await db.collection('modelMembers').find({ modelId }).toArray();
  expect(record?.memberCount).toBe(rows.length - 1);
  for (const row of rows) {
    expect({ name: row.name, memberCount: row.memberCount, updatedAt: row.modelUpdatedAt, listingRev: row.listingRev }).toEqual({
      name: record?.name,
      memberCount: record?.memberCount,
      updatedAt: record?.updatedAt,
      listingRev: record?.listingRev,
    });
  }
  return record!;
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
      await db.collection('models').updateOne({ _id: new ObjectId(id) }, { $set: { updatedAt: same }, $inc: { listingRev: 1 } });
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

  it('stays exact when shares and edits happen at the same moment, round after round', async () => {
    const a = await as(alice);
    const dave = await signUp(db, { email: 'dave@example.com', username: 'dave', password: 'dave-password-1' });
    const doc = createDocFromGraph({ nodes: [], edges: [] });
    for (let round = 0; round < 8; round++) {
      const { id } = await a.models.create({ name: `Raced ${round}` });
      const others = await Promise.all([a.models.create({ name: `Raced ${round}b` }), a.models.create({ name: `Raced ${round}c` })]);
      // The same person twice, several people at once, one person on three models at once, two
      // renames and two saves of the live document landing together: each share must land, with
      // no write undoing another, and every row must end at the model's last state.
      await Promise.all([
        a.models.share({ id, who: 'bob', role: 'viewer' }),
        a.models.share({ id, who: 'bob', role: 'viewer' }),
        a.models.share({ id, who: 'carol', role: 'editor' }),
        a.models.share({ id, who: 'dave', role: 'viewer' }),
        ...others.map((m) => a.models.share({ id: m.id, who: 'bob', role: 'editor' })),
        a.models.rename({ id, name: `Renamed ${round}` }),
        saveModelSnapshot(db, id, doc),
        a.models.rename({ id, name: `Renamed again ${round}` }),
        saveModelSnapshot(db, id, doc),
      ]);
      expect((await a.models.collaborators({ id })).map((p) => p.username).sort()).toEqual(['alice', 'bob', 'carol', 'dave']);
      const record = await expectRowsCurrent(id);
      expect([`Renamed ${round}`, `Renamed again ${round}`]).toContain(record.name);
      expect(record.memberCount).toBe(3);
      for (const m of others) expect((await expectRowsCurrent(m.id)).memberCount).toBe(1);
      const listed = (await (await as(bob)).models.list({ limit: 100 })).items.find((m) => m.id === id);
      expect(listed).toMatchObject({ name: record.name, collaborators: 3, role: 'viewer' });

      // Leaving and renaming at once: the count and the name both reach every remaining row.
      await Promise.all([
        (await as(dave)).models.unshare({ id, userId: dave.id }),
        a.models.unshare({ id, userId: carol.id }),
        a.models.rename({ id, name: `Final ${round}` }),
        saveModelSnapshot(db, id, doc),
      ]);
      expect(await expectRowsCurrent(id)).toMatchObject({ name: `Final ${round}`, memberCount: 1 });
    }
    doc.destroy();
    const { id } = await a.models.create({ name: 'Unshared' });
    await expect(a.models.unshare({ id, userId: admin.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'That person is not a collaborator.' });
    await expectCountsRight();
  });
});

describe('listing copies', () => {
  it('keep the newer view when an older sync lands after a newer one', async () => {
    const a = await as(alice);
    const { id } = await a.models.create({ name: 'Before' });
    await a.models.share({ id, who: 'bob', role: 'viewer' });
    // A sync that read the model, then stalled while a rename and a share landed and were synced.
    const stale = (await db.collection<ModelDoc>('models').findOne({ _id: new ObjectId(id) }, { projection: LISTING_PROJECTION }))!;
    await a.models.rename({ id, name: 'After' });
    await a.models.share({ id, who: 'carol', role: 'viewer' });
    await copyListing(db, stale);
    expect(await expectRowsCurrent(id)).toMatchObject({ name: 'After', memberCount: 2 });
    expect((await (await as(bob)).models.list({ limit: 100 })).items.find((m) => m.id === id)).toMatchObject({ name: 'After', collaborators: 2 });
  });
});

describe('shares racing a delete', () => {
  it('leave no row, no count and no list entry behind, round after round', async () => {
    const a = await as(alice);
    const before = await Promise.all([bob, carol].map(async (u) => (await (await as(u)).dashboard.counts()).sharedModels));
    // People who need no account, added at staggered moments so some land on each side of the delete.
    const extras = Array.from({ length: 12 }, (_, i) => ({ _id: new ObjectId(), email: `racer${i}@example.com` }));
    const late = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let round = 0; round < 10; round++) {
      const { id } = await a.models.create({ name: `Doomed ${round}` });
      const modelId = new ObjectId(id);
      const results = await Promise.allSettled([
        a.models.share({ id, who: 'bob', role: 'viewer' }),
        a.models.share({ id, who: 'carol', role: 'editor' }),
        ...extras.map(async (p, i) => {
          await late(i);
          return addCollaborator(db, { _id: modelId }, 'alice', p, 'viewer');
        }),
        a.models.delete({ id }),
      ]);
      expect(results.at(-1)!.status).toBe('fulfilled');
      for (const r of results.slice(0, 2)) if (r.status === 'rejected') expect(r.reason.cause).toMatchObject({ code: 'MODEL_NOT_FOUND' });
      for (const r of results.slice(2, -1)) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'MODEL_NOT_FOUND' });
      expect(await db.collection('modelMembers').countDocuments({ modelId })).toBe(0);
    }
    const after = await Promise.all([bob, carol].map(async (u) => (await (await as(u)).dashboard.counts()).sharedModels));
    expect(after).toEqual(before);
    for (const p of extras) expect((await readUserCounters(db, p._id)).sharedWithMe).toBe(0);
    expect((await (await as(bob)).models.list({ limit: 100 })).items.filter((m) => m.name.startsWith('Doomed'))).toEqual([]);
  });
});

describe('the collaborator cap', () => {
  it('lets parallel shares of a model at 48 collaborators take exactly the last two places', async () => {
    const a = await as(alice);
    const { id } = await a.models.create({ name: 'Nearly full' });
    const modelId = new ObjectId(id);
    // People who need no account for the first 48; the last eight sign up and are shared by name.
    for (let i = 0; i < MAX_COLLABORATORS - 2; i++) {
      await addCollaborator(db, { _id: modelId }, 'alice', { _id: new ObjectId(), email: `filler${i}@example.com` }, 'viewer');
    }
    const late = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signUp(db, { email: `late${i}@example.com`, username: `late${i}`, password: `late-password-${i}` })),
    );
    const results = await Promise.allSettled(late.map((u) => a.models.share({ id, who: u.username!, role: 'editor' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'BAD_REQUEST', message: `A model can be shared with at most ${MAX_COLLABORATORS} people.` });
      expect(r.reason.cause).toMatchObject({ code: 'TOO_MANY_COLLABORATORS' });
    }
    expect(await a.models.collaborators({ id })).toHaveLength(MAX_COLLABORATORS + 1);
    expect((await expectRowsCurrent(id)).memberCount).toBe(MAX_COLLABORATORS);
    // The refused got nothing: no row, no count, and no place was kept for them.
    for (const [i, u] of late.entries()) {
      const shared = results[i]!.status === 'fulfilled' ? 1 : 0;
      expect((await (await as(u)).dashboard.counts()).sharedModels).toBe(shared);
    }
    const joined = late.find((_, i) => results[i]!.status === 'fulfilled')!;
    await a.models.unshare({ id, userId: joined.id });
    const refused = late.find((_, i) => results[i]!.status === 'rejected')!;
    await a.models.share({ id, who: refused.username!, role: 'viewer' });
    await expect(a.models.share({ id, who: joined.username!, role: 'viewer' })).rejects.toMatchObject({ message: expect.stringContaining('at most 50') });
    expect((await expectRowsCurrent(id)).memberCount).toBe(MAX_COLLABORATORS);
  });
});
