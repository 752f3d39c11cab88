import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Collection, ObjectId, type Db } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { readDatasetFile } from './blob-store';
import { DatasetRejected } from './dataset-rejected';
import { readUpload } from './http/read-upload';
import { uploadDataset } from './upload';

const digitsPath = path.resolve(process.cwd(), '../shared/datasets/digits.csv');

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let digits: Uint8Array;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const text = (s: string) => new TextEncoder().encode(s);
const owner = (user: PublicUser) => new ObjectId(user.id);

/** Everything a refused upload could have left behind. */
async function storedCounts() {
  return {
    datasets: await db.collection('datasets').countDocuments(),
    files: await db.collection('datasets.files').countDocuments(),
    chunks: await db.collection('datasets.chunks').countDocuments(),
    previews: await db.collection('datasetPreviews').countDocuments(),
  };
}

async function rejection(promise: Promise<unknown>): Promise<DatasetRejected> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetRejected);
  return error as DatasetRejected;
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('datasets'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  digits = new Uint8Array(readFileSync(digitsPath));
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('uploading digits.csv', () => {
  let id: string;

  it('parses 1797 rows x 65 columns with 10 classes and stores the file with its sha256', async () => {
    const doc = await uploadDataset(db, owner(alice), { data: { filename: 'digits.csv', bytes: digits } });
    id = doc._id.toHexString();
    expect(doc).toMatchObject({ name: 'digits', kind: 'csv', rows: 1797, columns: 65, labelColumn: 64, numClasses: 10, featureShape: [64], validationSplit: 0.2, bytes: digits.byteLength });
    expect(doc.sha256).toBe(createHash('sha256').update(digits).digest('hex'));
    expect(doc.files.data.sha256).toBe(doc.sha256);
    // What GridFS gives back is the file, byte for byte.
    expect(Buffer.from(await readDatasetFile(db, doc.files.data.fileId)).equals(Buffer.from(digits))).toBe(true);
  });

  it('previews the first 20 rows and per-column statistics', async () => {
    const preview = await (await as(alice)).datasets.get({ id });
    expect(preview).toMatchObject({ builtin: false, mine: true, rows: 1797, columns: 65, numClasses: 10 });
    if (preview.builtin) throw new Error('unexpected');
    expect(preview.preview.rows).toHaveLength(20);
    expect(preview.preview.rows[0]!.slice(0, 6)).toEqual(['0', '0', '5', '13', '9', '1']);
    expect(preview.preview.rows[0]![64]).toBe('0');
    const stats = preview.preview.stats;
    expect(stats).toHaveLength(65);
    // Pixel 0 of the digits data is always blank; the label column holds the classes 0..9.
    expect(stats[0]).toMatchObject({ min: 0, max: 0, mean: 0, std: 0, missing: 0, distinct: 1 });
    expect(stats[64]).toMatchObject({ min: 0, max: 9, missing: 0, distinct: 10 });
    expect(stats[64]!.mean).toBeCloseTo(4.49, 1);
    expect(stats[2]!.max).toBe(16);
  });

  it('lists it with the built-in synthetic sets', async () => {
    const list = await (await as(alice)).datasets.list();
    expect(list.mine.map((d) => [d.name, d.rows, d.columns, d.numClasses])).toEqual([['digits', 1797, 65, 10]]);
    expect(list.nextCursor).toBeNull();
    expect(list.builtin.map((b) => b.id)).toEqual(['builtin:spirals', 'builtin:blobs', 'builtin:digits', 'builtin:iris']);
    expect(list.builtin[2]).toMatchObject({ source: 'file', rows: 1797, featureShape: [64], numClasses: 10 });
    expect(list.builtin[0]).toMatchObject({ rows: 300, columns: 3, numClasses: 3 });
    const spirals = await (await as(alice)).datasets.get({ id: 'builtin:spirals' });
    expect(spirals.preview.rows).toHaveLength(20);
    expect(spirals.preview.stats.map((s) => s.name)).toEqual(['x', 'y', 'class']);
  });

  it('saves the label column and validation split, re-checking the classes', async () => {
    const caller = await as(alice);
    const updated = await caller.datasets.update({ id, validationSplit: 0.25 });
    expect(updated.validationSplit).toBe(0.25);
    // Column 43 holds pixel intensities 0..16: as labels they are 17 classes.
    const relabelled = await caller.datasets.update({ id, labelColumn: 43 });
    expect(relabelled).toMatchObject({ labelColumn: 43, numClasses: 17, validationSplit: 0.25 });
    const back = await caller.datasets.update({ id, labelColumn: 64 });
    expect(back.numClasses).toBe(10);
    await expect(caller.datasets.update({ id, validationSplit: 0.9 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.datasets.update({ id, labelColumn: 65 })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('Column 66 does not exist') });
  });

  it('is NOT_FOUND for someone else, for reading, changing, attaching and deleting', async () => {
    const stranger = await as(bob);
    await expect(stranger.datasets.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(stranger.datasets.update({ id, validationSplit: 0.1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(stranger.datasets.delete({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { id: modelId } = await stranger.models.create({ name: 'Bob model' });
    await expect(stranger.datasets.attach({ modelId, datasetId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await stranger.datasets.list()).mine).toEqual([]);
    await expect(stranger.datasets.get({ id: 'not-an-id' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('attaches to a model the owner can edit, which lets that model’s collaborators read it', async () => {
    const caller = await as(alice);
    const { id: modelId } = await caller.models.create({ name: 'Digits', template: 'mlp' });
    await caller.datasets.attach({ modelId, datasetId: id });
    expect((await caller.models.get({ id: modelId })).datasetId).toBe(id);
    await caller.models.share({ id: modelId, who: 'bob', role: 'viewer' });
    expect((await (await as(bob)).datasets.get({ id })).rows).toBe(1797);
    // A viewer may read the data but not change what the model trains on.
    await expect((await as(bob)).datasets.attach({ modelId, datasetId: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await caller.datasets.attach({ modelId, datasetId: 'builtin:blobs' });
    expect((await caller.models.get({ id: modelId })).datasetId).toBe('builtin:blobs');
    await caller.datasets.attach({ modelId, datasetId: id });

    // Deleting the dataset removes its files and the model's reference to it.
    const before = await storedCounts();
    await caller.datasets.delete({ id });
    expect((await caller.models.get({ id: modelId })).datasetId).toBeNull();
    expect(await storedCounts()).toEqual({ datasets: before.datasets - 1, files: before.files - 1, chunks: 0, previews: before.previews - 1 });
    await expect(caller.datasets.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('refusing bad uploads, with nothing stored', () => {
  it('names the row and column of a ragged row', async () => {
    const before = await storedCounts();
    const error = await rejection(uploadDataset(db, owner(alice), { data: { filename: 'ragged.csv', bytes: text('1,2,0\n3,4,1\n5,6\n7,8,0\n') } }));
    expect(error).toMatchObject({ code: 'RAGGED_ROW', status: 400, location: { row: 3, column: 3 } });
    expect(error.message).toBe('Row 3 has 2 columns, but row 1 has 3.');
    expect(await storedCounts()).toEqual(before);
  });

  it('names the row and column (and header name) of a non-numeric cell', async () => {
    const before = await storedCounts();
    const error = await rejection(uploadDataset(db, owner(alice), { data: { filename: 'bad.csv', bytes: text('a,b,label\n1,2,0\n3,x4,1\n') } }));
    expect(error).toMatchObject({ code: 'NON_NUMERIC_CELL', location: { row: 3, column: 2, columnName: 'b' } });
    expect(error.message).toContain("Row 3, column 2 (b): 'x4' is not a number");
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses a file over the size limit with a clear message (413)', async () => {
    vi.stubEnv('DATASET_MAX_BYTES', String(100 * 1024));
    const before = await storedCounts();
    const error = await rejection(uploadDataset(db, owner(alice), { data: { filename: 'digits.csv', bytes: digits } }));
    expect(error).toMatchObject({ code: 'DATASET_TOO_LARGE', status: 413, message: 'The file is 258.5 KiB; datasets can be at most 100 KiB.' });
    expect(await storedCounts()).toEqual(before);
  });

  it('stops reading an oversize request body at the limit', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        if (pulled > 1024 * 1024) controller.close();
        else controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request('http://localhost/api/datasets?filename=big.csv', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const error = await rejection(readUpload(request, 10 * 1024));
    expect(error).toMatchObject({ code: 'DATASET_TOO_LARGE', status: 413 });
    expect(pulled).toBeLessThan(64 * 1024);
  });

  it('refuses empty files, non-text files and lone IDX label files', async () => {
    expect((await rejection(uploadDataset(db, owner(alice), { data: { filename: 'empty.csv', bytes: new Uint8Array() } }))).code).toBe('EMPTY_FILE');
    expect((await rejection(uploadDataset(db, owner(alice), { data: { filename: 'x.csv', bytes: new Uint8Array([0xff, 0xfe, 0x00]) } }))).code).toBe('NOT_TEXT');
    const labelsOnly = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 0]);
    expect((await rejection(uploadDataset(db, owner(alice), { data: { filename: 'labels.idx1-ubyte', bytes: labelsOnly } }))).code).toBe('IDX_NOT_EXAMPLES');
    expect(await storedCounts()).toMatchObject({ datasets: 0 });
  });
});

describe('a failed write', () => {
  it('removes the stored file and preview when the metadata cannot be written', async () => {
    const before = await storedCounts();
    const original = Collection.prototype.insertOne;
    const insert = vi.spyOn(Collection.prototype, 'insertOne').mockImplementation(function (this: Collection, ...args: Parameters<Collection['insertOne']>) {
      if (this.collectionName === 'datasets') return Promise.reject(new Error('disk full'));
      return original.apply(this, args);
    });
    try {
      await expect(uploadDataset(db, owner(alice), { data: { filename: 'digits.csv', bytes: digits } })).rejects.toThrow('disk full');
    } finally {
      insert.mockRestore();
    }
    expect(await storedCounts()).toEqual(before);
  });
});

describe('IDX uploads', () => {
  it('pairs an images file with its labels file', async () => {
    // Three 2x2 "images" and their labels 0, 1, 1.
    const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 1]);
    const doc = await uploadDataset(db, owner(alice), { name: 'tiny', data: { filename: 'images.idx3-ubyte', bytes: images }, labels: { filename: 'labels.idx1-ubyte', bytes: labels } });
    expect(doc).toMatchObject({ kind: 'idx', rows: 3, columns: 5, featureShape: [2, 2, 1], labelColumn: 4, numClasses: 2, bytes: images.byteLength + labels.byteLength });
    expect((await (await as(alice)).datasets.get({ id: doc._id.toHexString() })).preview.rows[1]).toEqual([4, 5, 6, 7, 1]);
    const mismatch = await rejection(
      uploadDataset(db, owner(alice), { data: { filename: 'images.idx3-ubyte', bytes: images }, labels: { filename: 'l.idx1-ubyte', bytes: new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]) } }),
    );
    expect(mismatch).toMatchObject({ code: 'LABEL_COUNT_MISMATCH', message: 'The image file has 3 examples but the label file has 2 labels.' });
    await (await as(alice)).datasets.delete({ id: doc._id.toHexString() });
  });
});
