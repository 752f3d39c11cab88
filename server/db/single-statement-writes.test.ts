import { describe, expect, it } from 'vitest';
import { isDuplicateKeyError } from './duplicate-key';
import { useTestDatabase } from '../testing/test-db';

/**
 * The FerretDB build we run writes one document's update, and an insert that fits one INSERT
 * statement (up to FerretDB's batch of 100), without BEGIN/COMMIT around it
 * (scripts/ferretdb/single-statement-autocommit.patch): a single statement is atomic on its own.
 * What a transaction gave before must still hold: a refused write leaves nothing half-done, and
 * the refusal still says "duplicate key".
 */
describe('single-statement writes without a transaction', () => {
  it('refuses a duplicate _id in one insert and keeps the first document', async () => {
    const { db } = await useTestDatabase('autocommit-insert-dup');
    const c = db.collection<{ _id: string; v: number }>('docs');
    await c.insertOne({ _id: 'a', v: 1 });
    const error = await c.insertOne({ _id: 'a', v: 2 }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await c.find({}).toArray()).toEqual([{ _id: 'a', v: 1 }]);
  });

  it('inserts nothing of one multi-document statement that holds a duplicate, ordered', async () => {
    const { db } = await useTestDatabase('autocommit-insert-many-dup');
    const c = db.collection<{ _id: number }>('docs');
    await c.insertOne({ _id: 7 });
    const docs = Array.from({ length: 40 }, (_, i) => ({ _id: 100 + i })).concat([{ _id: 7 }], Array.from({ length: 9 }, (_, i) => ({ _id: 200 + i })));
    const error = await c.insertMany(docs, { ordered: true }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    // Ordered: what precedes the duplicate is in, nothing after it (MongoDB's rule), and no document twice.
    const ids = (await c.find({}).toArray()).map((d) => d._id).sort((a, b) => a - b);
    expect(ids).toEqual([7, ...Array.from({ length: 40 }, (_, i) => 100 + i)]);
  });

  it('answers an unordered insert of 150 with one duplicate: every other document lands once', async () => {
    const { db } = await useTestDatabase('autocommit-insert-unordered');
    const c = db.collection<{ _id: number }>('docs');
    await c.insertOne({ _id: 75 });
    const error = (await c.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: i })), { ordered: false }).catch((e: unknown) => e)) as { writeErrors?: unknown };
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await c.countDocuments({})).toBe(150);
  });

  it('refuses an update that would break a unique index and leaves the document as it was', async () => {
    const { db } = await useTestDatabase('autocommit-update-unique');
    const c = db.collection<{ _id: string; email: string; n: number }>('contacts');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertMany([
      { _id: 'a', email: 'a@x', n: 0 },
      { _id: 'b', email: 'b@x', n: 0 },
    ]);
    const error = await c.updateOne({ _id: 'b' }, { $set: { email: 'a@x', n: 1 } }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await c.findOne({ _id: 'b' })).toEqual({ _id: 'b', email: 'b@x', n: 0 });
    const updated = await c.findOneAndUpdate({ _id: 'b' }, { $set: { n: 2 } }, { returnDocument: 'after' });
    expect(updated).toEqual({ _id: 'b', email: 'b@x', n: 2 });
  });
});
