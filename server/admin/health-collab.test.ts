import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, insertModel, startCollabForTest, ticketFor, waitFor } from '../../collab/server/testing';
import { signUp, type PublicUser } from '../auth/users';
import { registerCollabServer } from '../collab-bridge';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';

let db: Db;
let admin: PublicUser;
let collab: Awaited<ReturnType<typeof startCollabForTest>>;

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_health_collab'));
  admin = await signUp(db, { email: 'ops2@example.com', username: 'ops2', password: 'ops2-password-1' }, 'admin');
  collab = await startCollabForTest(db);
  registerCollabServer(collab.collab);
});

afterAll(async () => {
  registerCollabServer(undefined);
  await collab.close();
});

describe('admin health: collaboration', () => {
  it('counts the rooms and sockets of the running collaboration server and the bytes through them', async () => {
    const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }));
    const before = await caller.admin.health();
    const owner = new ObjectId();
    const modelId = await insertModel(db, owner);
    const a = connectClient(collab.url, modelId, ticketFor(modelId, owner, 'owner'));
    const b = connectClient(collab.url, modelId, ticketFor(modelId, owner, 'owner', 'second'));
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'both clients synced');
    a.doc.getMap('test').set('k', 'x'.repeat(2000));
    await waitFor(() => b.doc.getMap('test').get('k') !== undefined, 5000, 'the change to arrive');
    const after = await caller.admin.health();
    expect(after.collaboration).toEqual({ rooms: 1, sockets: 2, unloading: 0 });
    // The 2,000-character change went in through one socket and out through the other.
    expect(after.collabBytes.in - before.collabBytes.in).toBeGreaterThan(2000);
    expect(after.collabBytes.out - before.collabBytes.out).toBeGreaterThan(2000);
    a.provider.destroy();
    b.provider.destroy();
  });
});
