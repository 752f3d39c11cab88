import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';

/**
 * The app relies on single-document atomicity (counters, revision guards, leases), as MongoDB gives it.
 * FerretDB v1 reads, changes and writes back documents in separate steps, so the build we run carries a
 * patch (scripts/ferretdb/serialize-writes.patch); without it 25 parallel $inc ended at 2.
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
});
