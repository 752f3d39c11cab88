import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';
import { bulkUpdate } from './bulk-update';

let db: Db;

beforeAll(async () => {
  ({ db } = await useTestDatabase('db_bulk_update'));
});

describe('bulkUpdate', () => {
  it('writes 120 matching conditional updates in one call (one FerretDB v1 command of 50 or more never answers) and sums the counts', async () => {
    const docs = Array.from({ length: 120 }, (_, i) => ({ _id: new ObjectId(), version: i % 6 === 0 ? 9 : 2 }));
    const c = db.collection<{ _id: ObjectId; version: number; status?: string }>('bulk_update_many');
    await c.insertMany(docs);
    const counts = await bulkUpdate(
      c,
      docs.map((d) => ({ updateOne: { filter: { _id: d._id, version: 2 }, update: { $set: { status: 'ASSIGNED', version: 3 } } } })),
    );
    const expected = docs.filter((d) => d.version === 2).length;
    expect(counts).toEqual({ matchedCount: expected, modifiedCount: expected, upsertedCount: 0 });
    expect(await c.countDocuments({ version: 3, status: 'ASSIGNED' })).toBe(expected);
    expect(await c.countDocuments({ version: 9 })).toBe(docs.length - expected);
  });

  it('counts upserts, and answers zeros for no operations', async () => {
    const c = db.collection<{ _id: string; n: number }>('bulk_update_upserts');
    await c.insertOne({ _id: 'a', n: 1 });
    const counts = await bulkUpdate(c, ['a', 'b', 'c'].map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { n: 5 } }, upsert: true } })));
    expect(counts).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedCount: 2 });
    expect(await bulkUpdate(c, [])).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedCount: 0 });
  });

  it('gets an answer to one update command of 60 matching statements (upstream FerretDB v1 never answered 50)', async () => {
    const c = db.collection<{ _id: ObjectId; n: number }>('bulk_update_one_command');
    const docs = Array.from({ length: 60 }, () => ({ _id: new ObjectId(), n: 0 }));
    await c.insertMany(docs);
    const result = await c.bulkWrite(docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $set: { n: 1 } } } })), { ordered: false });
    expect(result.matchedCount).toBe(60);
    expect(await c.countDocuments({ n: 1 })).toBe(60);
  }, 20_000);
});
