import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { requireReadableDataset } from '../datasets/access';
import { uploadDataset } from '../datasets/upload';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { createCaller } from './root';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;
let dave: PublicUser;
let datasetId: string;
let modelId: string;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const canRead = (user: PublicUser) =>
  requireReadableDataset(db, datasetId, new ObjectId(user.id)).then(
    () => true,
    (error: unknown) => {
      expect(error).toMatchObject({ code: 'DATASET_NOT_FOUND' });
      return false;
    },
  );

beforeAll(async () => {
  ({ db } = await useTestDatabase('dataset_access'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  dave = await signUp(db, { email: 'dave@example.com', username: 'dave', password: 'dave-password-1' });
  const rows = Array.from({ length: 60 }, (_, r) => `${r % 7},${(r * 3) % 11},${r % 3}`);
  const csv = new TextEncoder().encode(`a,b,label\n${rows.join('\n')}\n`);
  datasetId = (await uploadDataset(db, new ObjectId(alice.id), { data: { filename: 'small.csv', bytes: csv } }))._id.toHexString();
  const owner = await as(alice);
  ({ id: modelId } = await owner.models.create({ name: 'Trains on small.csv' }));
  await owner.datasets.attach({ modelId, datasetId });
  await owner.models.share({ id: modelId, who: 'bob', role: 'viewer' });
  await owner.models.share({ id: modelId, who: 'carol', role: 'editor' });
});

describe('reading a dataset through a shared model', () => {
  it('is allowed to the owner and to people currently on the model’s access list', async () => {
    expect(await canRead(alice)).toBe(true);
    expect(await canRead(bob)).toBe(true);
    expect((await (await as(bob)).datasets.get({ id: datasetId })).rows).toBe(60);
    expect(await canRead(dave)).toBe(false);
  });

  it('gives a copy made by someone else no dataset, and the owner’s own copy keeps it', async () => {
    const { id: bobsCopy } = await (await as(bob)).models.duplicate({ id: modelId });
    expect((await (await as(bob)).models.get({ id: bobsCopy })).datasetId).toBeNull();
    const { id: alicesCopy } = await (await as(alice)).models.duplicate({ id: modelId });
    expect((await (await as(alice)).models.get({ id: alicesCopy })).datasetId).toBe(datasetId);
  });

  it('ends when the person is removed, even if a copy of the model points at the dataset and is shared on', async () => {
    const { id: copy } = await (await as(bob)).models.duplicate({ id: modelId });
    // A copy made before copies stopped carrying someone else's dataset.
    await db.collection('models').updateOne({ _id: new ObjectId(copy) }, { $set: { datasetId } });
    await (await as(bob)).models.share({ id: copy, who: 'dave', role: 'editor' });
    expect(await canRead(dave)).toBe(false);
    await expect((await as(dave)).datasets.get({ id: datasetId })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await (await as(alice)).models.unshare({ id: modelId, userId: bob.id });
    expect(await canRead(bob)).toBe(false);
    await expect((await as(bob)).datasets.get({ id: datasetId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Leaving works the same way, and the others keep their access until then.
    expect(await canRead(carol)).toBe(true);
    await (await as(carol)).models.unshare({ id: modelId, userId: carol.id });
    expect(await canRead(carol)).toBe(false);
  });

  it('ends for everyone when the owner detaches the dataset from the model', async () => {
    await (await as(alice)).models.share({ id: modelId, who: 'dave', role: 'viewer' });
    expect(await canRead(dave)).toBe(true);
    await (await as(alice)).datasets.attach({ modelId, datasetId: null });
    expect(await canRead(dave)).toBe(false);
    expect(await canRead(alice)).toBe(true);
  });
});
