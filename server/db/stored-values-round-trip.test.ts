import fc from 'fast-check';
import { Binary, Double, Int32, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';

/**
 * Every value must come back exactly as written through the database we run (FerretDB with our
 * patches, scripts/ferretdb): escapes, control characters, non-ASCII text, number edges and
 * nesting, on a plain read, after an update rewrote the document, and across documents that share
 * a type schema or give one field different types. A patch that changed how FerretDB stores or
 * reads documents (such as scripts/ferretdb/unapplied/sjson-fast-decode.patch) must pass it.
 */
const tricky = {
  plain: 'plain',
  empty: '',
  quotes: 'say "hi" \\ back\\slash',
  control: 'tab\tnew\nline\u0001bell\u001f',
  unicode: 'été — 中文 🎉',
  escapes: '\u2028\u2029</script>',
  int32Max: 2147483647,
  int32Min: -2147483648,
  zero: 0,
  long: Long.fromString('9223372036854775807'),
  longMin: Long.fromString('-9223372036854775808'),
  double: 0.1,
  big: 1e300,
  tiny: 5e-324,
  wholeDouble: new Double(3),
  yes: true,
  no: false,
  nothing: null,
  at: new Date(Date.UTC(2026, 11, 3, 12, 0, 0, 123)),
  id: new ObjectId('6b115b35665f567fe1d1a32c'),
  bytes: new Binary(Buffer.from([0, 1, 2, 255])),
  nested: { a: { b: { c: 'deep', n: [1, 'two', { three: 3, inner: ['list', 'in', 'object'] }] } }, 'key with "quote"': 1, 'ключ': 'значение' },
  list: [1, -1.5, 'x', null, true, { y: [new Date(0)] }],
};

describe('stored values round-trip through the database', () => {
  it('reads back every tricky value as written, and again after an update rewrote the document', async () => {
    const { db } = await useTestDatabase('round-trip-tricky');
    const c = db.collection('docs');
    await c.insertOne({ _id: 'doc' as never, ...tricky });
    const read = await c.findOne({ _id: 'doc' as never }, { promoteValues: false });
    expect(read).toEqual({ _id: 'doc', ...asStored(tricky) });
    await c.updateOne({ _id: 'doc' as never }, { $set: { plain: 'changed "too"' } });
    const after = await c.findOne({ _id: 'doc' as never }, { promoteValues: false });
    expect(after).toEqual({ _id: 'doc', ...asStored({ ...tricky, plain: 'changed "too"' }) });
  });

  it('stores -0 as a zero (FerretDB on PostgreSQL drops the sign: jsonb numbers have no negative zero; mongod keeps it)', async () => {
    const { db } = await useTestDatabase('round-trip-negative-zero');
    const c = db.collection<{ _id: string; z: number }>('docs');
    await c.insertOne({ _id: 'z', z: -0 });
    const { z } = (await c.findOne({ _id: 'z' }))!;
    // === counts -0 and 0 alike: either sign is a faithful zero here.
    expect(typeof z === 'number' && z === 0).toBe(true);
  });

  it('keeps each document its own values and types when many share a schema or one field changes type', async () => {
    const { db } = await useTestDatabase('round-trip-schemas');
    const c = db.collection<{ _id: number; v: unknown; s: string }>('docs');
    const values: unknown[] = ['text', 7, 7.5, true, null, { o: 1 }, [1, 2], new Date(5)];
    const docs = Array.from({ length: 120 }, (_, i) => ({ _id: i, v: values[i % values.length], s: `same schema ${i} "q"` }));
    await c.insertMany(docs);
    const read = await c.find({}).sort({ _id: 1 }).toArray();
    expect(read).toEqual(docs);
  });

  it('round-trips arbitrary JSON-like documents', async () => {
    const { db } = await useTestDatabase('round-trip-property');
    const c = db.collection('docs');
    // Upstream FerretDB v1 limits, with or without the patch: no array directly inside an array, and
    // no '"' or '\\' in a key (its INSERT then fails in PostgreSQL). Keys: no '$' start or '.', which MongoDB forbids in stored field names, and none of Object.prototype's names (under such a key an empty nested document comes back as 5 bytes of binary, with the unpatched FerretDB build too: not this patch's); numbers: int32 or doubles that are not whole (so each comes back as the type it went in as).
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.startsWith('$') && !(k in Object.prototype) && !/[."\\]/.test(k) && !k.includes('\u0000'));
    const scalar = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !s.includes('\u0000')), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), fc.boolean(), fc.constant(null));
    const { value } = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(fc.oneof(scalar, tie('object')), { maxLength: 4 }), tie('object')),
      object: fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
    }));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 6, noNullPrototype: true }), async (doc) => {
        const _id = n++;
        await c.insertOne({ _id, ...doc } as never);
        expect(await c.findOne({ _id } as never)).toEqual({ _id, ...doc });
      }),
      { numRuns: 150 },
    );
  });
});

/** What a read with promoteValues: false answers: numbers as their BSON wrappers. */
function asStored(doc: Record<string, unknown>): Record<string, unknown> {
  const wrap = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? new Int32(v) : new Double(v);
    if (typeof v === 'boolean' || typeof v === 'string' || v === null) return v;
    if (Array.isArray(v)) return v.map(wrap);
    if (v instanceof Date || v instanceof ObjectId || v instanceof Binary || v instanceof Long || v instanceof Double) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, wrap(x)]));
  };
  return wrap(doc) as Record<string, unknown>;
}
