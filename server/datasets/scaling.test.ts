import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { appRouter, createCaller } from '../trpc/root';
import { uploadDataset } from './upload';

let db: Db;
let alice: PublicUser;

const csv = new TextEncoder().encode('a,b,class\n0.1,1700,0\n0.2,1200,1\n0.3,900,0\n0.4,300,1\n');
const caller = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: alice.id }));
const upload = () => uploadDataset(db, new ObjectId(alice.id), { data: { filename: 'wide.csv', bytes: csv } });

/** A mutation through the real HTTP handler, so the response carries the field errors a form reads. */
async function post(path: string, input: unknown) {
  const req = new Request(`http://localhost/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createContext({ db, headers: req.headers, sessionUserId: alice.id }), onError: () => undefined });
  return { status: res.status, body: (await res.json()) as { error?: { data: { appCode: string; fieldErrors?: Record<string, string[]> } } } };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('dataset-scaling'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
});

describe('a dataset\'s feature scaling', () => {
  it('is standardisation until the owner picks another, and round-trips through update, get and list', async () => {
    const id = (await upload())._id.toHexString();
    const api = await caller();
    expect((await api.datasets.get({ id })).preprocessing).toBe('standardize');

    expect((await api.datasets.update({ id, preprocessing: 'minmax' })).preprocessing).toBe('minmax');
    expect((await api.datasets.get({ id })).preprocessing).toBe('minmax');
    expect((await api.datasets.list()).mine.find((d) => d.id === id)?.preprocessing).toBe('minmax');

    // Other settings leave it alone; 'none' is a choice like the others.
    expect((await api.datasets.update({ id, validationSplit: 0.3 })).preprocessing).toBe('minmax');
    expect((await api.datasets.update({ id, preprocessing: 'none' })).preprocessing).toBe('none');
    expect((await db.collection('datasets').findOne({ _id: new ObjectId(id) }))?.preprocessing).toBe('none');
  });

  it('reads as standardisation on records from before the setting, and on built-ins', async () => {
    const id = (await upload())._id.toHexString();
    const api = await caller();
    await api.datasets.update({ id, preprocessing: 'minmax' });
    await db.collection('datasets').updateOne({ _id: new ObjectId(id) }, { $unset: { preprocessing: '' } });
    expect((await api.datasets.get({ id })).preprocessing).toBe('standardize');
    expect((await api.datasets.list()).mine.find((d) => d.id === id)?.preprocessing).toBe('standardize');
    const builtins = (await api.datasets.list()).builtin;
    expect(builtins.length).toBeGreaterThan(0);
    expect(new Set(builtins.map((b) => b.preprocessing))).toEqual(new Set(['standardize']));
    expect((await api.datasets.get({ id: 'builtin:iris' })).preprocessing).toBe('standardize');
  });

  it('refuses an unknown scaling with a field error and changes nothing', async () => {
    const id = (await upload())._id.toHexString();
    await (await caller()).datasets.update({ id, preprocessing: 'minmax' });
    const res = await post('datasets.update', { id, preprocessing: 'zscore' });
    expect(res.status).toBe(400);
    expect(res.body.error?.data.appCode).toBe('INVALID_INPUT');
    expect(res.body.error?.data.fieldErrors?.preprocessing?.[0]).toBe("Choose 'standardize', 'minmax' or 'none' for feature scaling.");
    expect((await (await caller()).datasets.get({ id })).preprocessing).toBe('minmax');
  });
});
