import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, insertModel, startCollabForTest, ticketFor, waitFor } from '../../collab/server/testing';
import { cyx } from '../../programs';
import { createApiKey } from '../auth/api-keys';
import { signUp, type PublicUser } from '../auth/users';
import { getLedger } from '../ledger';
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

describe('admin health: heartbeats and machines online', () => {
  it('counts the heartbeats real runners sent and the machines heard from', async () => {
    const provider = await signUp(db, { email: 'prov3@example.com', username: 'prov3', password: 'prov3-password-1' });
    await (await getLedger(db)).submit({ kind: 'mint', key: 'health-prov3', at: Date.now(), by: admin.id, to: provider.id, amount: cyx(1000), reason: 'test funds' });
    const key = (await createApiKey(db, new ObjectId(provider.id), 'rig', null)).key;
    const bearer = async (token: string) => createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${token}`, host: 'cyxwiz.test' }), sessionUserId: null }));
    const inventory = { os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: 'cpu', cores: 2, threads: 2 }, ramBytes: 2 ** 33, webgpu: [], nvidia: [] };
    const machines = await Promise.all([0, 1, 2].map(async (i) => (await bearer(key)).machines.register({ name: `rig ${i}`, pricePerHourMicro: '1000', inventory, offer: { unitIndexes: [0] } })));
    const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }));
    const before = (await caller.admin.health()).heartbeats.counted;
    for (const m of machines) await (await bearer(m.credential)).runner.heartbeat({ metrics: { cpuPercent: 5, ramUsedBytes: 2 ** 30, gpus: [], job: null } });
    const after = await caller.admin.health();
    expect(after.heartbeats.counted - before).toBe(3);
    expect(after.heartbeats.perSecond).toBeGreaterThan(0);
    expect(after.machinesOnline).toBe(3);
  });
});
