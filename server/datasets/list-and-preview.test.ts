import { BSON, ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { MAX_COLUMNS } from './limits';
import { uploadDataset } from './upload';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const text = (s: string) => new TextEncoder().encode(s);
const upload = (user: PublicUser, name: string, csv: string) => uploadDataset(db, new ObjectId(user.id), { name, data: { filename: `${name}.csv`, bytes: text(csv) } });

beforeAll(async () => {
  ({ db } = await useTestDatabase('datasets_list'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
});

describe('the preview lives outside the dataset record', () => {
  it('stores rows and statistics in datasetPreviews, keyed by the dataset, and get() reads them there', async () => {
    const doc = await upload(alice, 'small', 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n');
    const record = await db.collection('datasets').findOne({ _id: doc._id });
    expect(record).not.toBeNull();
    expect(record).not.toHaveProperty('preview');
    expect(record).not.toHaveProperty('stats');
    const preview = await db.collection('datasetPreviews').findOne({ _id: doc._id });
    expect(preview).toMatchObject({ ownerId: doc.ownerId, rows: [{ cells: ['1', '2', '0'] }, { cells: ['3', '4', '1'] }, { cells: ['5', '6', '0'] }] });
    expect(preview!.stats).toHaveLength(3);

    const got = await (await as(alice)).datasets.get({ id: doc._id.toHexString() });
    // Cells as the file wrote them.
    expect(got.preview.rows).toEqual([
      ['1', '2', '0'],
      ['3', '4', '1'],
      ['5', '6', '0'],
    ]);
    expect(got.preview.stats.map((s) => s.name)).toEqual(['a', 'b', 'label']);
    const listed = (await (await as(alice)).datasets.list()).mine.find((d) => d.id === doc._id.toHexString());
    expect(listed).toMatchObject({ name: 'small', rows: 3, columns: 3 });
    expect(listed).not.toHaveProperty('preview');
    expect(listed).not.toHaveProperty('columnNames');

    // A new label column rewrites the preview, still outside the record.
    await (await as(alice)).datasets.update({ id: doc._id.toHexString(), labelColumn: 0 });
    expect((await db.collection('datasetPreviews').findOne({ _id: doc._id }))!.stats).toHaveLength(3);
    expect(await db.collection('datasets').findOne({ _id: doc._id })).not.toHaveProperty('preview');
  });

  it('keeps both records of a dataset at the column cap far below 16 MB', async () => {
    const header = Array.from({ length: MAX_COLUMNS }, (_, c) => (c === MAX_COLUMNS - 1 ? 'label' : `pixel_${c}`)).join(',');
    const rows = Array.from({ length: 25 }, (_, r) => Array.from({ length: MAX_COLUMNS }, (_, c) => (c === MAX_COLUMNS - 1 ? r % 3 : (r * c) % 255)).join(','));
    const doc = await upload(alice, 'wide', [header, ...rows].join('\n'));
    expect(doc.columns).toBe(MAX_COLUMNS);
    const recordBytes = BSON.calculateObjectSize((await db.collection('datasets').findOne({ _id: doc._id }))!);
    const previewBytes = BSON.calculateObjectSize((await db.collection('datasetPreviews').findOne({ _id: doc._id }))!);
    expect(recordBytes).toBeLessThan(256 * 1024);
    expect(previewBytes).toBeLessThan(2 * 1024 * 1024);
    expect((await (await as(alice)).datasets.get({ id: doc._id.toHexString() })).preview.rows).toHaveLength(20);
  });
});

describe('datasets.list pages', () => {
  it('returns every dataset exactly once across pages, newest first, and only the caller’s', async () => {
    await upload(bob, 'bobs', '1,0\n2,1\n');
    for (let i = 0; i < 5; i++) await upload(alice, `paged-${i}`, `1,${i % 2}\n2,${(i + 1) % 2}\n`);
    const caller = await as(alice);
    const everything = (await caller.datasets.list({ limit: 100 })).mine;
    expect(everything.map((d) => d.name).slice(0, 5)).toEqual(['paged-4', 'paged-3', 'paged-2', 'paged-1', 'paged-0']);
    expect(everything).toHaveLength(7);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { mine: { id: string }[]; nextCursor: string | null } = await caller.datasets.list({ limit: 3, cursor });
      expect(page.mine.length).toBeLessThanOrEqual(3);
      seen.push(...page.mine.map((d) => d.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(everything.map((d) => d.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await (await as(bob)).datasets.list()).mine.map((d) => d.name)).toEqual(['bobs']);
  });

  it('refuses a malformed cursor or an oversized page', async () => {
    const caller = await as(alice);
    await expect(caller.datasets.list({ cursor: 'zzz' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.datasets.list({ limit: 101 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
