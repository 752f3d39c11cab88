import { Double } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';

/**
 * The app relies on single-document atomicity (counters, revision guards, leases), as MongoDB gives it.
 * FerretDB v1 reads, changes and writes back documents in separate steps, so the build we run carries a
 * patch (scripts/ferretdb/document-write-locks.patch); without it 25 parallel $inc ended at 2. The patch
 * locks a statement whose filter names an _id by that document, any other by its whole collection:
 * both kinds at once on one document must still keep every write.
 */
describe('single-document writes are atomic on the database we run', () => {
  const PARALLEL = 25;

  it('keeps every one of many parallel $inc', async () => {
    const { db } = await useTestDatabase('atomic-inc');
    const c = db.collection<{ _id: string; n: number }>('counters');
    await c.insertOne({ _id: 'k', n: 0 });
    await Promise.all(Array.from({ length: PARALLEL }, () => c.updateOne({ _id: 'k' }, { $inc: { n: 1 } })));
    expect((await c.findOne({ _id: 'k' }))?.n).toBe(PARALLEL);
  });

  it('lets exactly one of many parallel conditional updates win', async () => {
    const { db } = await useTestDatabase('atomic-cond');
    const c = db.collection<{ _id: string; rev: number; by?: number }>('guarded');
    for (let round = 0; round < 3; round++) {
      await c.deleteMany({});
      await c.insertOne({ _id: 'k', rev: 0 });
      const results = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => c.updateOne({ _id: 'k', rev: 0 }, { $set: { rev: 1, by: i } })));
      expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
      const claims = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => c.findOneAndUpdate({ _id: 'k', rev: 1 }, { $set: { rev: 2, by: i } })));
      expect(claims.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it('keeps every $inc when statements by _id and by another field hit one document at once', async () => {
    const { db } = await useTestDatabase('atomic-mixed');
    const c = db.collection<{ _id: string; name: string; n: number }>('mixed');
    await c.insertOne({ _id: 'k', name: 'the-one', n: 0 });
    await Promise.all(
      Array.from({ length: PARALLEL * 2 }, (_, i) => (i % 2 === 0 ? c.updateOne({ _id: 'k' }, { $inc: { n: 1 } }) : c.updateOne({ name: 'the-one' }, { $inc: { n: 1 } }))),
    );
    expect((await c.findOne({ _id: 'k' }))?.n).toBe(PARALLEL * 2);
  });

  it('locks a numeric _id by its value, whether the filter sends it as an int or a double', async () => {
    const { db } = await useTestDatabase('atomic-numeric-id');
    const c = db.collection<{ _id: number; n: number }>('numeric');
    await c.insertOne({ _id: 7, n: 0 });
    await Promise.all(Array.from({ length: PARALLEL * 2 }, (_, i) => c.updateOne({ _id: i % 2 === 0 ? 7 : (new Double(7) as unknown as number) }, { $inc: { n: 1 } })));
    expect((await c.findOne({ _id: 7 }))?.n).toBe(PARALLEL * 2);
  });

  it('hands a document to exactly one of many parallel findOneAndDelete', async () => {
    const { db } = await useTestDatabase('atomic-delete');
    const c = db.collection<{ _id: string }>('tickets');
    await c.insertOne({ _id: 't' });
    const taken = await Promise.all(Array.from({ length: PARALLEL }, () => c.findOneAndDelete({ _id: 't' })));
    expect(taken.filter((d) => d !== null)).toHaveLength(1);
    expect(await c.countDocuments({})).toBe(0);
  });

  it('keeps parallel writes to many documents of one collection apart', async () => {
    const { db } = await useTestDatabase('atomic-many');
    const c = db.collection<{ _id: string; n: number }>('many');
    const ids = Array.from({ length: 10 }, (_, i) => `d${i}`);
    await c.insertMany(ids.map((_id) => ({ _id, n: 0 })));
    await Promise.all(ids.flatMap((_id) => Array.from({ length: 10 }, () => c.updateOne({ _id }, { $inc: { n: 1 } }))));
    expect((await c.find({}).toArray()).map((d) => d.n)).toEqual(ids.map(() => 10));
  });
});
