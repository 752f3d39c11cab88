import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { DatasetRejected } from './dataset-rejected';
import { errorResponse } from './http/json-error';
import { inspectOffThread } from './parse-off-thread';
import { uploadDataset } from './upload';

let db: Db;
let ownerId: ObjectId;
let userId: string;

const text = (s: string) => new TextEncoder().encode(s);

/** An IDX header (unsigned bytes) with big-endian dims, then `body` bytes of data. */
function idx(dims: number[], body = 0, typeCode = 0x08): Uint8Array {
  const file = new Uint8Array(4 + 4 * dims.length + body);
  file.set([0, 0, typeCode, dims.length]);
  const view = new DataView(file.buffer);
  dims.forEach((dim, d) => view.setUint32(4 + 4 * d, dim, false));
  return file;
}

/** Rows of distinct 3-digit numbers and a class label, from a fixed seed. */
function numericCsv(rows: number, columns: number): Uint8Array {
  let seed = 3;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) lines.push(Array.from({ length: columns }, (_, c) => (c === columns - 1 ? String(r % 10) : String(100 + (next() % 900)))).join(','));
  return text(lines.join('\n'));
}

async function stored() {
  return {
    datasets: await db.collection('datasets').countDocuments(),
    files: await db.collection('datasets.files').countDocuments(),
    chunks: await db.collection('datasets.chunks').countDocuments(),
    previews: await db.collection('datasetPreviews').countDocuments(),
  };
}

/** The refusal of an upload, with the status and JSON body POST /api/datasets would answer. */
async function refusal(filename: string, bytes: Uint8Array, labels?: Uint8Array) {
  const before = await stored();
  const error = await uploadDataset(db, ownerId, { data: { filename, bytes }, ...(labels ? { labels: { filename: 'labels.idx1-ubyte', bytes: labels } } : {}) }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetRejected);
  expect(await stored()).toEqual(before);
  const response = errorResponse(error);
  return { error: error as DatasetRejected, status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Right after a refusal the server still takes an upload and lists it. */
async function stillServing() {
  const doc = await uploadDataset(db, ownerId, { data: { filename: 'ok.csv', bytes: text('a,b,label\n1,2,0\n3,4,1\n') } });
  const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: userId }));
  expect((await caller.datasets.list()).mine.map((d) => d.id)).toContain(doc._id.toHexString());
  await caller.datasets.delete({ id: doc._id.toHexString() });
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('upload_caps'));
  const user = await signUp(db, { email: 'caps@example.com', username: 'caps', password: 'caps-password-1' });
  userId = user.id;
  ownerId = new ObjectId(user.id);
});

describe('IDX headers that declare more than the file holds', () => {
  it('refuses the 12-byte 0 × 30,000,000 file (the product is zero, the width is not)', async () => {
    const file = idx([0, 30_000_000]);
    expect(file.byteLength).toBe(12);
    const { error, status, body } = await refusal('wide.idx3-ubyte', file);
    expect(error.code).toBe('IDX_BAD_DIMENSION');
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'IDX_BAD_DIMENSION', message: 'Dimension 1 of the IDX header (0×30000000) is 0; every dimension must be at least 1.' });
    await stillServing();
  });

  it('refuses 4,294,967,295 × 0 (no rows loop over four billion examples)', async () => {
    const { error } = await refusal('long.idx3-ubyte', idx([4_294_967_295, 0]));
    expect(error).toMatchObject({ code: 'IDX_BAD_DIMENSION', message: expect.stringContaining('Dimension 2') });
    await stillServing();
  });

  it('refuses a dimension, an example or a file over the caps (413), before the size is compared', async () => {
    const long = await refusal('long.idx3-ubyte', idx([20_000_000, 1]));
    expect(long).toMatchObject({ status: 413, error: { code: 'IDX_TOO_LARGE', message: expect.stringContaining('each dimension can be at most 16,777,216') } });
    // One example of 5,000 values: a real 5 KB file, but a 5,001-column table.
    const wide = await refusal('wide.idx3-ubyte', idx([1, 5000], 5000));
    expect(wide.error).toMatchObject({ code: 'IDX_TOO_LARGE', message: 'Each example in this IDX file (1×5000) has 5,000 values; at most 4,095 are allowed.' });
    const many = await refusal('many.idx3-ubyte', idx([16_000_000, 4000]));
    expect(many.error).toMatchObject({ code: 'IDX_TOO_LARGE', message: expect.stringContaining('at most 50,000,000 are allowed') });
    expect((await refusal('short.idx3-ubyte', idx([2, 3], 5))).error.code).toBe('IDX_SIZE_MISMATCH');
    await stillServing();
  });

  it('refuses int32 labels that would make billions of classes', async () => {
    const labels = idx([2], 8, 0x0c);
    new DataView(labels.buffer).setInt32(8 + 4, 2_000_000_000, false);
    const { error } = await refusal('images.idx3-ubyte', idx([2, 2, 2], 8), labels);
    expect(error).toMatchObject({ code: 'TOO_MANY_CLASSES', field: 'labels', message: expect.stringContaining('at most 1,000 classes') });
  });
});

describe('CSV files too wide or too big to hold', () => {
  it('refuses a CSV of 1,000,000 columns at its first line, naming the cap and the count (413)', async () => {
    const row = `${'1,'.repeat(999_999)}0\n`;
    const file = text(row + row);
    expect(file.byteLength).toBeGreaterThan(2_000_000);
    const { error, status, body } = await refusal('wide.csv', file);
    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 'CSV_TOO_MANY_COLUMNS', message: 'Row 1 has 1,000,000 columns; a dataset can have at most 4,096.', row: 1, column: 4097 });
    expect(error.field).toBe('file');
    await stillServing();
  });

  it('refuses a CSV of more than 8,000,000 cells, counted before any is parsed (413)', async () => {
    const file = text(`${'0,'.repeat(99)}0\n`.repeat(80_001));
    const { status, body } = await refusal('cells.csv', file);
    expect(status).toBe(413);
    expect(body).toMatchObject({ code: 'CSV_TOO_MANY_CELLS', message: 'The file has 8,000,100 cells in 80,001 rows; a dataset can have at most 8,000,000 cells.' });
    await stillServing();
  });

  it('refuses an id column as labels and a header name too long to store', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `${i % 7},${i}`).join('\n');
    expect((await refusal('ids.csv', text(ids))).error).toMatchObject({ code: 'TOO_MANY_CLASSES', location: { column: 2 }, message: expect.stringContaining('1,001 distinct values') });
    const header = `${'x'.repeat(300)},label\n1,0\n2,1\n`;
    expect((await refusal('header.csv', text(header))).error).toMatchObject({ code: 'NAME_TOO_LONG', location: { column: 1 }, message: expect.stringContaining('300 characters') });
  });
});

describe('the parse worker', () => {
  const csv = numericCsv(2000, 1000);

  it('turns running out of its heap into DATASET_TOO_COMPLEX (422); the same file parses with the normal budget', async () => {
    const error = await inspectOffThread({ kind: 'csv', bytes: csv }, { memoryMb: 32 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetRejected);
    expect(error).toMatchObject({ code: 'DATASET_TOO_COMPLEX', status: 422, message: expect.stringContaining('more than 32 MB of memory') });
    const inspected = await inspectOffThread({ kind: 'csv', bytes: csv });
    expect(inspected).toMatchObject({ rows: 2000, numClasses: 10 });
    expect(inspected.columnNames).toHaveLength(1000);
  });

  it('turns running out of time into DATASET_TOO_COMPLEX', async () => {
    // No worker starts, let alone parses, within a millisecond.
    await expect(inspectOffThread({ kind: 'csv', bytes: csv }, { timeLimitMs: 1 })).rejects.toMatchObject({ code: 'DATASET_TOO_COMPLEX', status: 422, message: expect.stringContaining('took longer than') });
    await stillServing();
  });
});
