import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE } from '../../collab/close-codes';
import { connectClient, insertModel, rawUpgrade, startCollabForTest, ticketFor, waitFor } from '../../collab/server/testing';
import { cyx } from '../../programs/index';
import { createApiKey } from '../auth/api-keys';
import { signUp, verifyCredentials, type PublicUser } from '../auth/users';
import { registerCollabServer } from '../collab-bridge';
import { getLedger } from '../ledger/index';
import type { Inventory } from '../machines/schema';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';

let db: Db;
let boss: PublicUser;
let prov: PublicUser;
let apiKey: string;
let credential: string;
let collab: Awaited<ReturnType<typeof startCollabForTest>>;

const inventory: Inventory = {
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  cpu: { model: 'Test CPU', cores: 2, threads: 4 },
  ramBytes: 2 ** 33,
  webgpu: [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallback: true, limits: {} }],
  nvidia: [],
};

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const asBoss = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: boss.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_disable'));
  boss = await signUp(db, { email: 'boss@example.com', username: 'boss', password: 'boss-password-1' }, 'admin');
  prov = await signUp(db, { email: 'prov@example.com', username: 'prov', password: 'prov-password-1' });
  apiKey = (await createApiKey(db, new ObjectId(prov.id), 'runner', null)).key;
  await (await getLedger(db)).submit({ kind: 'mint', key: 'admin-disable-test', at: Date.now(), by: 'test-admin', to: prov.id, amount: cyx(10_000), reason: 'test funds' });
  const viaKey = createCaller(await createContext({ db, headers: bearer(apiKey), sessionUserId: null }));
  ({ credential } = await viaKey.machines.register({ name: 'ci box', pricePerHourMicro: '1000000', inventory, offer: { unitIndexes: [0] } }));
  collab = await startCollabForTest(db, { writeBatchMs: 5 });
  registerCollabServer(collab.collab);
});

afterAll(async () => {
  registerCollabServer(undefined);
  await collab.close();
  await (await getLedger(db)).close();
});

describe('disabling a user', () => {
  it('refuses their session, API key, machine credential and sign-in at once and closes their open socket', async () => {
    const modelId = await insertModel(db, new ObjectId(prov.id));
    const ticket = ticketFor(modelId, new ObjectId(prov.id), 'owner', 'prov');
    const client = connectClient(collab.url, modelId, ticket);
    // A second room: disabling closes the user's sockets everywhere, not in one model.
    const otherModel = await insertModel(db, new ObjectId(prov.id));
    const other = connectClient(collab.url, otherModel, ticketFor(otherModel, new ObjectId(prov.id), 'owner', 'prov'));
    const closes: number[] = [];
    try {
      await waitFor(() => client.provider.synced && other.provider.synced, 5000, 'synced');
      for (const c of [client, other]) c.provider.ws?.addEventListener('close', (event) => closes.push((event as CloseEvent).code));

      // Everything works first, and the machine credential is in authenticate.ts's cache.
      const session = await createContext({ db, headers: new Headers(), sessionUserId: prov.id, sessionVersion: 0 });
      expect(session.caller?.user.email).toBe('prov@example.com');
      expect((await createContext({ db, headers: bearer(apiKey), sessionUserId: null })).caller?.via).toBe('apiKey');
      expect((await createContext({ db, headers: bearer(credential), sessionUserId: null })).machine).not.toBeNull();

      const result = await (await asBoss()).admin.users.disable({ userId: prov.id, reason: 'Chargeback fraud' });
      expect(result).toMatchObject({ socketsClosed: 2, user: { disabledReason: 'Chargeback fraud' } });
      for (const c of [client, other]) c.provider.shouldConnect = false;

      // The very next request of each kind is refused: no waiting for a cache to expire.
      const again = await createContext({ db, headers: new Headers(), sessionUserId: prov.id, sessionVersion: 0 });
      expect(again.caller).toBeNull();
      await expect(createCaller(again).account.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await createContext({ db, headers: bearer(apiKey), sessionUserId: null })).authError).toMatchObject({ code: 'ACCOUNT_DISABLED' });
      const machine = await createContext({ db, headers: bearer(credential), sessionUserId: null });
      expect(machine.machine).toBeNull();
      expect(machine.authError).toMatchObject({ code: 'ACCOUNT_DISABLED' });
      await expect(createCaller(machine).runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'ACCOUNT_DISABLED' } });
      await expect(verifyCredentials(db, 'prov@example.com', 'prov-password-1', null)).rejects.toMatchObject({ code: 'ACCOUNT_DISABLED' });
      // A wrong password still says only that: the disabled state is told to the owner of the password alone.
      await expect(verifyCredentials(db, 'prov@example.com', 'wrong-password-1', null)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });

      await waitFor(() => closes.length === 2, 5000, 'sockets closed');
      expect(closes).toEqual([CLOSE.ACCESS_REVOKED, CLOSE.ACCESS_REVOKED]);
      // The old ticket (what the client reconnects with) opens nothing now.
      expect(await rawUpgrade(`${collab.url}/${modelId}?ticket=${encodeURIComponent(ticket)}`)).toMatchObject({ opened: false, status: 403 });

      const audits = await db.collection('audit').find({ action: 'user.disable' }).toArray();
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ actorId: new ObjectId(boss.id), target: 'prov', reason: 'Chargeback fraud' });
    } finally {
      client.provider.destroy();
      other.provider.destroy();
    }
  });

  it('enabling lets the key, machine and password in again, but ended sessions stay ended', async () => {
    await (await asBoss()).admin.users.enable({ userId: prov.id, reason: 'Resolved with the bank' });
    expect((await createContext({ db, headers: bearer(apiKey), sessionUserId: null })).caller?.via).toBe('apiKey');
    expect((await createContext({ db, headers: bearer(credential), sessionUserId: null })).machine).not.toBeNull();
    expect((await createContext({ db, headers: new Headers(), sessionUserId: prov.id, sessionVersion: 0 })).caller).toBeNull();
    const signedIn = await verifyCredentials(db, 'prov@example.com', 'prov-password-1', null);
    expect(signedIn.sessionVersion).toBe(1);
    expect((await createContext({ db, headers: new Headers(), sessionUserId: prov.id, sessionVersion: signedIn.sessionVersion })).caller).not.toBeNull();
    expect(await db.collection('audit').countDocuments({ action: 'user.enable' })).toBe(1);
  });
});
