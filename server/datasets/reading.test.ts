import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { DatasetRejected } from './dataset-rejected';
import { readUpload } from './http/read-upload';
import { uploadDataset } from './upload';

let db: Db;
let alice: PublicUser;

const shared = (name: string) => new Uint8Array(readFileSync(path.resolve(process.cwd(), '../shared/datasets', name)));
const text = (s: string) => new TextEncoder().encode(s);
const caller = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: alice.id }));
const upload = (filename: string, bytes: Uint8Array, missing?: 'refuse' | 'drop-rows' | 'mean') =>
  uploadDataset(db, new ObjectId(alice.id), { data: { filename, bytes }, ...(missing ? { missing } : {}) });

async function rejection(promise: Promise<unknown>): Promise<DatasetRejected> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetRejected);
  return error as DatasetRejected;
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('dataset-reading'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
});

describe('headers and previews', () => {
  it('iris.csv: scikit-learn header read as class names, preview values as written', async () => {
    const doc = await upload('iris.csv', shared('iris.csv'));
    expect(doc).toMatchObject({ rows: 150, columns: 5, featureShape: [4], numClasses: 3, classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(doc.columnNames).toEqual(['column 1', 'column 2', 'column 3', 'column 4', 'column 5']);
    const got = await (await caller()).datasets.get({ id: doc._id.toHexString() });
    expect(got.preview.rows[0]).toEqual(['5.1', '3.5', '1.4', '0.2', 'setosa']);
    expect(got.preview.stats.map((s) => s.type)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'numeric']);
  });

  it('a padded scikit-learn header gives two classes, not one per empty cell', async () => {
    // breast_cancer.csv's layout: the count line padded with empty cells to the 5 cells of a row.
    const rows = Array.from({ length: 6 }, (_, i) => `1,2,${i}.25,${i * 10},${i % 2}`);
    const doc = await upload('padded.csv', text(`6,4,malignant,benign,\n${rows.join('\n')}\n`));
    expect(doc).toMatchObject({ rows: 6, columns: 5, featureShape: [4], numClasses: 2, classNames: ['malignant', 'benign'] });
  });

  it('the owner overrides header detection both ways: a first data row with NA, names that are numbers', async () => {
    const api = await caller();
    // 'NA' is text over a number below, so detection takes the first line for names.
    const gappy = await upload('no-header.csv', text('NA,2,0\n1,3,1\n2,4,0\n3,5,1\n'));
    expect(gappy).toMatchObject({ rows: 3, columnNames: ['NA', '2', '0'] });
    const id = gappy._id.toHexString();
    await expect(api.datasets.update({ id, header: 'none' })).rejects.toMatchObject({ cause: { code: 'MISSING_VALUE', field: 'header' } });
    const asData = await api.datasets.update({ id, header: 'none', missing: 'mean' });
    expect(asData).toMatchObject({ rows: 4, columnNames: ['column 1', 'column 2', 'column 3'], reading: { header: 'none', missing: 'mean' } });
    // Years as column names look like data; the owner says they are names.
    const years = await upload('years.csv', text('2019,2020,2021\n1,2,0\n3,4,1\n5,6,0\n'));
    expect(years).toMatchObject({ rows: 4, columnNames: ['column 1', 'column 2', 'column 3'] });
    const named = await api.datasets.update({ id: years._id.toHexString(), header: 'names' });
    expect(named).toMatchObject({ rows: 3, columnNames: ['2019', '2020', '2021'], reading: { header: 'names' } });
    await expect(api.datasets.update({ id, header: 'first' as 'names' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('shows 14.23 as 14.23, not as its float32 value', async () => {
    const doc = await upload('wine.csv', text('alcohol,ash,class\n14.23,2.43,1\n13.2,2.14,2\n'));
    const got = await (await caller()).datasets.get({ id: doc._id.toHexString() });
    expect(got.preview.rows).toEqual([
      ['14.23', '2.43', '1'],
      ['13.2', '2.14', '2'],
    ]);
  });
});

describe('generated data without cell text', () => {
  it('previews float32 values in their shortest form', async () => {
    const spirals = await (await caller()).datasets.get({ id: 'builtin:spirals' });
    const values = spirals.preview.rows.flatMap((row) => row.slice(0, 2)) as number[];
    for (const value of values) {
      // At most 9 significant digits (float32's expansion, 14.229999542236328, has 17).
      expect(Number(value.toPrecision(9))).toBe(value);
    }
  });
});

describe('categorical columns', () => {
  const pets = 'animal,weight,adopted\ncat,4.5,1\ndog,20,0\nbird,0.3,1\ncat,5,0\n';

  it('are one-hot by default; the owner switches to index encoding or reads a numeric column as categories', async () => {
    const doc = await upload('pets.csv', text(pets));
    expect(doc).toMatchObject({ columns: 3, featureShape: [4], reading: { missing: 'refuse', categoricalEncoding: 'one-hot', columnTypes: [] } });
    const api = await caller();
    const id = doc._id.toHexString();
    const before = await api.datasets.get({ id });
    expect(before.preview.stats[0]).toMatchObject({ name: 'animal', type: 'categorical', distinct: 3 });
    expect(before.preview.rows[0]).toEqual(['cat', '4.5', '1']);

    const indexed = await api.datasets.update({ id, categoricalEncoding: 'index' });
    expect(indexed).toMatchObject({ featureShape: [2], reading: { categoricalEncoding: 'index' } });
    const typed = await api.datasets.update({ id, columnTypes: ['auto', 'categorical'] });
    expect(typed).toMatchObject({ featureShape: [2], reading: { categoricalEncoding: 'index', columnTypes: ['auto', 'categorical'] } });
    expect((await api.datasets.get({ id })).preview.stats[1]).toMatchObject({ type: 'categorical', distinct: 4 });

    await expect(api.datasets.update({ id, columnTypes: ['numeric'] })).rejects.toMatchObject({ cause: { code: 'NON_NUMERIC_CELL', field: 'columnTypes' } });
    await expect(api.datasets.update({ id, columnTypes: ['auto', 'auto', 'auto', 'auto'] })).rejects.toMatchObject({ cause: { code: 'COLUMN_TYPES_MISMATCH' } });
    // zod refuses values outside the choices before anything is parsed.
    await expect(api.datasets.update({ id, categoricalEncoding: 'binary' as 'index' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    // A refused change leaves the record as it was.
    expect(await api.datasets.get({ id })).toMatchObject({ featureShape: [2], reading: { columnTypes: ['auto', 'categorical'] } });
  });

  it('refuses a column with more categories than the cap, naming it', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `id-${i},${i % 2}`);
    const error = await rejection(upload('ids.csv', text(`name,label\n${rows.join('\n')}\n`)));
    expect(error).toMatchObject({ code: 'CSV_TOO_MANY_CATEGORIES', location: { column: 1, columnName: 'name' } });
  });
});

describe('missing values', () => {
  const gappy = 'a,b,label\n1,2,0\n3,,1\n5,NA,0\n7,8,1\n9,10,0\n';

  it('are refused by default with the row and column, storing nothing', async () => {
    const before = await db.collection('datasets').countDocuments();
    const error = await rejection(upload('gappy.csv', text(gappy)));
    expect(error).toMatchObject({ code: 'MISSING_VALUE', location: { row: 3, column: 2, columnName: 'b' }, message: 'Row 3, column 2 (b): the cell is empty.' });
    expect(await db.collection('datasets').countDocuments()).toBe(before);
  });

  it('drop rows at upload; the owner switches to the training mean (rows back) or refuse (refused, unchanged)', async () => {
    const doc = await upload('gappy.csv', text(gappy), 'drop-rows');
    expect(doc).toMatchObject({ rows: 3, droppedRows: 2, reading: { missing: 'drop-rows' } });
    const api = await caller();
    const id = doc._id.toHexString();
    expect((await api.datasets.get({ id })).preview.stats.map((s) => s.missing)).toEqual([0, 2, 0]);

    const filled = await api.datasets.update({ id, missing: 'mean' });
    expect(filled).toMatchObject({ rows: 5, droppedRows: 0, reading: { missing: 'mean' } });
    const stats = (await api.datasets.get({ id })).preview.stats[1]!;
    // Statistics over the present values only: 2, 8, 10.
    expect(stats).toMatchObject({ missing: 2, min: 2, max: 10, mean: Number((20 / 3).toPrecision(6)) });

    await expect(api.datasets.update({ id, missing: 'refuse' })).rejects.toMatchObject({ cause: { code: 'MISSING_VALUE', field: 'missing' } });
    expect(await api.datasets.get({ id })).toMatchObject({ rows: 5, reading: { missing: 'mean' } });
  });

  it('the upload form and the raw upload carry the policy; an unknown one is refused', async () => {
    const form = new FormData();
    form.append('file', new File([gappy], 'gappy.csv'));
    form.append('missing', 'drop-rows');
    const body = await readUpload(new Request('http://localhost/api/datasets', { method: 'POST', body: form }), 1024 * 1024);
    expect(body.missing).toBe('drop-rows');
    const raw = await readUpload(new Request('http://localhost/api/datasets?filename=g.csv&missing=mean', { method: 'POST', body: gappy }), 1024 * 1024);
    expect(raw.missing).toBe('mean');
    const error = await rejection(readUpload(new Request('http://localhost/api/datasets?missing=guess', { method: 'POST', body: gappy }), 1024 * 1024));
    expect(error).toMatchObject({ code: 'INVALID_MISSING_POLICY', field: 'missing' });
  });
});
