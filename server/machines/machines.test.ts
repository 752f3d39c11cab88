import { ObjectId, type Db } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cyx, MIN_STAKE } from '../../programs/index';
import { createApiKey, sha256Hex } from '../auth/api-keys';
import { getLedger } from '../ledger/index';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { deviceCodesCollection, machinesCollection } from './collections';
import { inventoryHash } from './inventory-hash';
import type { Inventory, Metrics } from './schema';
import { SAMPLE_SLOT_MS, SAMPLES_KEPT } from './samples';
import { HEARTBEAT_MIN_INTERVAL_MS_DEFAULT, INACTIVE_AFTER_MS, ONLINE_WINDOW_MS_DEFAULT } from './status';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let aliceKey: string;

/** One clock for every caller of a test, moved by hand: no sleeps. */
let clock = new Date('2026-03-01T10:00:00Z');
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};
const now = () => clock;

/** The input fields a refusal names (the HTTP error shape carries them too; see machines-http.test.ts). */
const refusedFields = (error: unknown) => ((error as { cause?: { issues?: { path: PropertyKey[] }[] } }).cause?.issues ?? []).map((i) => i.path.join('.'));
const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal'); }, (error: unknown) => error);

const bearer = async (token: string) => createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${token}` }), sessionUserId: null, now }));
const session = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers({ host: 'cyxwiz.test' }), sessionUserId: user.id, now }));
const anonymous = async (ip = '10.0.0.1') => createCaller(await createContext({ db, headers: new Headers({ 'x-forwarded-for': ip, host: 'cyxwiz.test' }), sessionUserId: null, now }));

const inventory: Inventory = {
  os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
  cpu: { model: 'AMD EPYC 7B13', cores: 8, threads: 16 },
  ramBytes: 64 * 2 ** 30,
  webgpu: [
    { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA A100', isFallback: false, limits: { maxBufferSize: 2 ** 31 } },
    { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallback: true, limits: {} },
    { vendor: 'intel', architecture: 'gen-12lp', description: 'Intel Iris Xe', isFallback: false, limits: {} },
  ],
  nvidia: [{ name: 'NVIDIA A100-SXM4-40GB', vramBytes: 40 * 2 ** 30, driver: '535.104.05', cuda: '12.2' }],
};

const metrics = (over: Partial<Metrics> = {}): Metrics => ({
  cpuPercent: 12.5,
  ramUsedBytes: 8 * 2 ** 30,
  gpus: [{ index: 0, utilPercent: 40, memUsedBytes: 2 ** 30, tempC: 55, powerW: 180 }],
  job: null,
  ...over,
});

async function register(name = 'rig', offer = [0, 1, 2]) {
  return (await bearer(aliceKey)).machines.register({ name, pricePerHourMicro: '1500000', inventory, offer: { unitIndexes: offer } });
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('machines'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  aliceKey = (await createApiKey(db, new ObjectId(alice.id), 'laptop', null)).key;
  const minted = await (await getLedger(db)).submit({ kind: 'mint', key: 'machines-test:alice', at: clock.getTime(), by: 'test-admin', to: alice.id, amount: cyx(100_000), reason: 'test funds' });
  expect(minted.outcome.ok).toBe(true);
});

afterAll(async () => {
  await (await getLedger(db)).close();
});

afterEach(() => {
  vi.unstubAllEnvs();
  // Past any heartbeat interval, so tests do not rate-limit one another.
  advance(60_000);
});

describe('registering a machine', () => {
  it('stores one unit per GPU plus a CPU unit and answers a credential that only its hash is kept of', async () => {
    const { machineId, credential, units } = await register('A100 box', [0, 2]);
    expect(credential).toMatch(/^cyxm_[A-Za-z0-9_-]{43}$/);
    // The NVIDIA adapter is the A100 nvidia-smi listed; SwiftShader is a fallback; the Intel iGPU is its own unit.
    expect(units.map((u) => [u.kind, u.index, u.device, u.status, u.vramOffered])).toEqual([
      ['gpu', 0, 'NVIDIA A100-SXM4-40GB', 'active', 40 * 2 ** 30],
      ['gpu', 1, 'Intel Iris Xe', 'paused', 0],
      ['cpu', 2, 'AMD EPYC 7B13', 'active', 64 * 2 ** 30],
    ]);
    const doc = await machinesCollection(db).findOne({ _id: new ObjectId(machineId) });
    expect(doc?.credentialHash).toBe(sha256Hex(credential));
    expect(JSON.stringify(doc)).not.toContain(credential);
    const me = await (await bearer(credential)).runner.me();
    expect(me).toMatchObject({ id: machineId, name: 'A100 box', status: 'offline', lastSeenAt: null, pricePerHourMicro: '1500000', maintenance: false, stakeMicro: MIN_STAKE.toString() });
  });

  it('stakes 100 CYX through the ledger, and with too little CYX says so and stores nothing', async () => {
    const ledger = await getLedger(db);
    const before = (await ledger.wallet(alice.id)).staked;
    const { machineId } = await register('staked');
    expect((await ledger.wallet(alice.id)).staked - before).toBe(MIN_STAKE);

    const bobKey = (await createApiKey(db, new ObjectId(bob.id), 'bob', null)).key;
    await ledger.submit({ kind: 'mint', key: 'machines-test:bob', at: clock.getTime(), by: 'test-admin', to: bob.id, amount: cyx(3), reason: 'test funds' });
    const attempt = (await bearer(bobKey)).machines.register({ name: 'poor', pricePerHourMicro: '1', inventory, offer: { unitIndexes: [0] } });
    await expect(attempt).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Registering a machine stakes 100 CYX; your balance is 3 CYX. Get CYX from the faucet on the Wallet page.',
    });
    expect(await machinesCollection(db).countDocuments({ ownerId: new ObjectId(bob.id) })).toBe(0);
    expect((await ledger.wallet(bob.id)).available).toBe(cyx(3));

    // The owner can ask for the stake back; a second request while it waits out the lockup is refused.
    const unstake = await (await session(alice)).machines.unstake({ id: machineId });
    expect(unstake.requested).toBe(true);
    expect((await ledger.wallet(alice.id)).unstaking.map((u) => u.nodeId)).toContain(machineId);
    advance(1);
    await expect((await session(alice)).machines.unstake({ id: machineId })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect((await session(bob)).machines.unstake({ id: machineId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses absurd inventories with the field that is wrong, and stores nothing', async () => {
    const before = await machinesCollection(db).countDocuments({});
    const cases: [unknown, string][] = [
      [{ ...inventory, nvidia: [{ ...inventory.nvidia[0], vramBytes: -1 }] }, 'inventory.nvidia.0.vramBytes'],
      [{ ...inventory, nvidia: Array.from({ length: 10_000 }, () => inventory.nvidia[0]) }, 'inventory.nvidia'],
      [{ ...inventory, cpu: { ...inventory.cpu, model: 'x'.repeat(1_000_000) } }, 'inventory.cpu.model'],
      [{ ...inventory, cpu: { ...inventory.cpu, cores: 0 } }, 'inventory.cpu.cores'],
    ];
    for (const [bad, path] of cases) {
      const error = await refusal((await bearer(aliceKey)).machines.register({ name: 'bad', pricePerHourMicro: '1', inventory: bad as Inventory, offer: { unitIndexes: [0] } }));
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(refusedFields(error)).toEqual([path]);
    }
    expect(refusedFields(await refusal((await bearer(aliceKey)).machines.register({ name: 'bad', pricePerHourMicro: '-5', inventory, offer: { unitIndexes: [0] } })))).toEqual(['pricePerHourMicro']);
    await expect((await bearer(aliceKey)).machines.register({ name: 'bad', pricePerHourMicro: '1', inventory, offer: { unitIndexes: [7] } })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'This machine has units 0 to 2; there is no unit 7 to offer.',
    });
    expect(await machinesCollection(db).countDocuments({})).toBe(before);
  });

  it('needs the person\'s API key: a session or a machine credential cannot register', async () => {
    await expect((await session(alice)).machines.register({ name: 'x', pricePerHourMicro: '1', inventory, offer: { unitIndexes: [] } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { credential } = await register();
    await expect((await bearer(credential)).machines.register({ name: 'x', pricePerHourMicro: '1', inventory, offer: { unitIndexes: [] } })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('the machine credential', () => {
  it('cannot call user procedures', async () => {
    const { credential } = await register();
    const machine = await bearer(credential);
    await expect(machine.account.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(machine.machines.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(machine.runner.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(machine.apiKeys.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('acts only on its own machine: a heartbeat naming another machine is 403', async () => {
    const first = await register('one');
    const second = await register('two');
    await expect((await bearer(first.credential)).runner.heartbeat({ metrics: metrics(), machineId: second.machineId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other = await machinesCollection(db).findOne({ _id: new ObjectId(second.machineId) });
    expect(other?.lastSeenAt).toBeNull();
    await expect((await bearer(first.credential)).runner.heartbeat({ metrics: metrics(), machineId: first.machineId })).resolves.toMatchObject({ status: 'online' });
  });

  it('is refused with its own code when unknown or malformed', async () => {
    await expect((await bearer(`cyxm_${'A'.repeat(43)}`)).runner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('not valid') });
    await expect((await bearer('cyxm_short')).runner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    // A person's API key is not a machine credential either.
    await expect((await bearer(aliceKey)).runner.heartbeat({ metrics: metrics() })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('heartbeats', () => {
  it('update lastSeen and metrics, and the status is derived from the clock', async () => {
    const { machineId, credential } = await register();
    const answer = await (await bearer(credential)).runner.heartbeat({ metrics: metrics(), inventoryHash: inventoryHash(inventory) });
    expect(answer).toEqual({
      status: 'online',
      units: [
        { id: `${machineId}-u0`, status: 'active' },
        { id: `${machineId}-u1`, status: 'active' },
        { id: `${machineId}-u2`, status: 'active' },
      ],
      inventoryWanted: false,
      // It holds no lease (server/jobs/held-jobs.ts).
      jobs: [],
    });
    const seenAt = clock.toISOString();
    const view = async () => (await (await session(alice)).machines.list()).machines.find((m) => m.id === machineId)!;
    expect(await view()).toMatchObject({ status: 'online', lastSeenAt: seenAt, metrics: metrics() });
    advance(ONLINE_WINDOW_MS_DEFAULT);
    expect((await view()).status).toBe('online');
    advance(1);
    expect((await view()).status).toBe('offline');
    advance(INACTIVE_AFTER_MS);
    expect((await view()).status).toBe('inactive');
    expect((await view()).lastSeenAt).toBe(seenAt);
  });

  it('take the online window from the environment, so e2e can use a short one', async () => {
    vi.stubEnv('CYXWIZ_MACHINE_ONLINE_MS', '3000');
    const { machineId, credential } = await register();
    await (await bearer(credential)).runner.heartbeat({ metrics: metrics() });
    advance(3001);
    expect((await (await session(alice)).machines.get({ id: machineId })).status).toBe('offline');
  });

  it('say busy while a job is held, and ask for the inventory when its hash differs', async () => {
    const { credential } = await register();
    const answer = await (await bearer(credential)).runner.heartbeat({ metrics: metrics({ job: { id: 'job-1', progress: 0.25 } }), inventoryHash: 'something-else' });
    expect(answer).toMatchObject({ status: 'busy', inventoryWanted: true });
  });

  it('are limited per machine: a second one within the interval is 429 HEARTBEAT_TOO_FAST', async () => {
    const { credential } = await register();
    const other = await register('other');
    await (await bearer(credential)).runner.heartbeat({ metrics: metrics() });
    advance(HEARTBEAT_MIN_INTERVAL_MS_DEFAULT - 1);
    await expect((await bearer(credential)).runner.heartbeat({ metrics: metrics() })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('at most every 2 s') });
    // Another machine has its own allowance.
    await expect((await bearer(other.credential)).runner.heartbeat({ metrics: metrics() })).resolves.toMatchObject({ status: 'online' });
    advance(1);
    await expect((await bearer(credential)).runner.heartbeat({ metrics: metrics() })).resolves.toMatchObject({ status: 'online' });
  });

  it('keep only the last samples for the chart, oldest first', async () => {
    const { machineId, credential } = await register();
    const beats = SAMPLES_KEPT + 5;
    for (let i = 0; i < beats; i++) {
      if (i > 0) advance(SAMPLE_SLOT_MS);
      await (await bearer(credential)).runner.heartbeat({ metrics: metrics({ cpuPercent: i }) });
    }
    expect(Object.keys((await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }))!.samples)).toHaveLength(SAMPLES_KEPT);
    const detail = await (await session(alice)).machines.get({ id: machineId });
    expect(detail.samples).toHaveLength(SAMPLES_KEPT);
    expect(detail.samples.map((s) => s.cpuPercent)).toEqual(Array.from({ length: SAMPLES_KEPT }, (_, i) => i + 5));
    expect(detail.samples[0]).toMatchObject({ gpuPercent: 40, ramUsedBytes: 8 * 2 ** 30 });
  });

  it('refuse metrics out of range with the field', async () => {
    const { credential } = await register();
    const hot = await refusal((await bearer(credential)).runner.heartbeat({ metrics: metrics({ cpuPercent: 250 }) }));
    expect(hot).toMatchObject({ code: 'BAD_REQUEST' });
    expect(refusedFields(hot)).toEqual(['metrics.cpuPercent']);
    const gpus = Array.from({ length: 17 }, (_, index) => ({ index: index % 16, utilPercent: 1, memUsedBytes: 0 }));
    expect(refusedFields(await refusal((await bearer(credential)).runner.heartbeat({ metrics: metrics({ gpus }) })))).toEqual(['metrics.gpus']);
  });
});

describe('the owner', () => {
  it('pauses a unit, and the runner sees it in the next heartbeat answer', async () => {
    const { machineId, credential, units } = await register();
    const view = await (await session(alice)).machines.setUnitStatus({ unitId: units[0]!.id, status: 'paused' });
    expect(view.units[0]).toMatchObject({ id: units[0]!.id, status: 'paused' });
    const answer = await (await bearer(credential)).runner.heartbeat({ metrics: metrics() });
    expect(answer.units).toEqual([
      { id: `${machineId}-u0`, status: 'paused' },
      { id: `${machineId}-u1`, status: 'active' },
      { id: `${machineId}-u2`, status: 'active' },
    ]);
    await (await session(alice)).machines.setUnitStatus({ unitId: units[0]!.id, status: 'active' });
    advance(HEARTBEAT_MIN_INTERVAL_MS_DEFAULT);
    expect((await (await bearer(credential)).runner.heartbeat({ metrics: metrics() })).units[0]!.status).toBe('active');
  });

  it('loses no change when units are toggled at the same time', async () => {
    const { machineId, units } = await register();
    const owner = await session(alice);
    await Promise.all(units.map((u) => owner.machines.setUnitStatus({ unitId: u.id, status: 'paused' })));
    expect((await owner.machines.get({ id: machineId })).units.map((u) => u.status)).toEqual(['paused', 'paused', 'paused']);
  });

  it('sets maintenance, renames and prices; nobody else can, or can even see the machine', async () => {
    const { machineId, credential } = await register();
    const owner = await session(alice);
    await owner.machines.setMaintenance({ id: machineId, on: true });
    expect((await (await bearer(credential)).runner.heartbeat({ metrics: metrics() })).status).toBe('maintenance');
    expect((await owner.machines.rename({ id: machineId, name: '  Basement rig ' })).name).toBe('Basement rig');
    expect((await owner.machines.setPrice({ id: machineId, pricePerHourMicro: '2500000' })).pricePerHourMicro).toBe('2500000');
    await owner.machines.setMaintenance({ id: machineId, on: false });
    expect((await owner.machines.get({ id: machineId })).status).toBe('online');

    const stranger = await session(bob);
    expect((await stranger.machines.list()).machines).toEqual([]);
    for (const attempt of [
      () => stranger.machines.get({ id: machineId }),
      () => stranger.machines.setMaintenance({ id: machineId, on: true }),
      () => stranger.machines.rename({ id: machineId, name: 'mine now' }),
      () => stranger.machines.remove({ id: machineId }),
      () => stranger.machines.setUnitStatus({ unitId: `${machineId}-u0`, status: 'paused' }),
      () => stranger.machines.get({ id: 'not-an-id' }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await owner.machines.get({ id: machineId })).name).toBe('Basement rig');
  });

  it('removes a machine: its credential is refused from then on with MACHINE_CREDENTIAL_REVOKED', async () => {
    const { machineId, credential } = await register();
    // Seen a moment ago (the credential is remembered), then removed: still refused at once.
    await (await bearer(credential)).runner.heartbeat({ metrics: metrics() });
    await (await session(alice)).machines.remove({ id: machineId });
    advance(HEARTBEAT_MIN_INTERVAL_MS_DEFAULT);
    type MachineClient = Awaited<ReturnType<typeof bearer>>;
    for (const call of [
      (c: MachineClient) => c.runner.heartbeat({ metrics: metrics() }),
      (c: MachineClient) => c.runner.me(),
      (c: MachineClient) => c.runner.inventory({ inventory }),
      (c: MachineClient) => c.runner.unregister({}),
    ]) {
      await expect(call(await bearer(credential))).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('removed by its owner') });
    }
    expect((await (await session(alice)).machines.list()).machines.map((m) => m.id)).not.toContain(machineId);
    await expect((await session(alice)).machines.get({ id: machineId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Its stake is on its way back rather than stranded with a machine nobody can see.
    expect((await (await getLedger(db)).wallet(alice.id)).unstaking.map((u) => u.nodeId)).toContain(machineId);
  });

  it('lets the runner unregister itself, after which it is refused too', async () => {
    const { machineId, credential } = await register();
    await expect((await bearer(credential)).runner.unregister({})).resolves.toEqual({ removed: true });
    await expect((await bearer(credential)).runner.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await (await getLedger(db)).wallet(alice.id)).unstaking.map((u) => u.nodeId)).toContain(machineId);
  });
});

describe('inventory refresh', () => {
  it('keeps the status of units that are still there and adds new ones paused', async () => {
    const { machineId, credential, units } = await register('refresh', [0, 1, 2]);
    await (await session(alice)).machines.setUnitStatus({ unitId: units[2]!.id, status: 'paused' });
    const grown: Inventory = { ...inventory, nvidia: [...inventory.nvidia, { name: 'NVIDIA RTX 4090', vramBytes: 24 * 2 ** 30, driver: '535', cuda: '12.2' }] };
    const { units: after } = await (await bearer(credential)).runner.inventory({ inventory: grown });
    // Units that moved down the order (the new card sits ahead of them) are still the same units.
    expect(after.map((u) => [u.index, u.device, u.status])).toEqual([
      [0, 'NVIDIA A100-SXM4-40GB', 'active'],
      [1, 'NVIDIA RTX 4090', 'paused'],
      [2, 'Intel Iris Xe', 'active'],
      [3, 'AMD EPYC 7B13', 'paused'],
    ]);
    const answer = await (await bearer(credential)).runner.heartbeat({ metrics: metrics(), inventoryHash: inventoryHash(grown) });
    expect(answer.inventoryWanted).toBe(false);
    expect(answer.units.map((u) => u.id)).toEqual([0, 3, 1, 2].map((i) => `${machineId}-u${i}`));
  });
});

describe('device-code login', () => {
  it('starts, is approved in the browser, and answers an API key to exactly one poll', async () => {
    const start = await (await anonymous()).machines.deviceStart();
    expect(start.deviceCode.length).toBeGreaterThanOrEqual(32);
    expect(start.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(start.verificationUrl).toBe(`http://cyxwiz.test/machines/connect?code=${start.userCode}`);
    expect(start).toMatchObject({ expiresInS: 600, intervalS: 2 });

    await expect((await anonymous()).machines.devicePoll({ deviceCode: start.deviceCode })).resolves.toEqual({ status: 'pending' });
    await expect((await session(alice)).machines.deviceApprove({ userCode: start.userCode.toLowerCase().replace('-', '') })).resolves.toEqual({ approved: true });
    const polled = await (await anonymous()).machines.devicePoll({ deviceCode: start.deviceCode });
    expect(polled.status).toBe('approved');
    const apiKey = polled.status === 'approved' ? polled.apiKey : '';
    await expect((await bearer(apiKey)).runner.whoami()).resolves.toMatchObject({ email: 'alice@example.com', apiKey: { name: 'node-runner (device login)' } });
    await expect((await anonymous()).machines.devicePoll({ deviceCode: start.deviceCode })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('already used') });
  });

  it('expires after ten minutes', async () => {
    const start = await (await anonymous('10.0.0.2')).machines.deviceStart();
    advance(600_000);
    await expect((await anonymous()).machines.devicePoll({ deviceCode: start.deviceCode })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('expired') });
    await expect((await session(alice)).machines.deviceApprove({ userCode: start.userCode })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('expired') });
    // Long expired codes are cleared when new ones are made.
    advance(600_000);
    await (await anonymous('10.0.0.4')).machines.deviceStart();
    expect(await deviceCodesCollection(db).countDocuments({ userCode: start.userCode })).toBe(0);
  });

  it('needs a browser session to approve, and says when no runner waits with the code', async () => {
    const start = await (await anonymous('10.0.0.3')).machines.deviceStart();
    await expect((await bearer(aliceKey)).machines.deviceApprove({ userCode: start.userCode })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect((await anonymous()).machines.deviceApprove({ userCode: start.userCode })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect((await session(bob)).machines.deviceApprove({ userCode: 'BBBB-CCCC' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await anonymous()).machines.devicePoll({ deviceCode: 'x'.repeat(43) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('limits how many codes one person may try', async () => {
    vi.stubEnv('DEVICE_APPROVE_LIMIT_PER_USER', '2/600');
    const carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
    for (const code of ['BBBB-CCCC', 'BBBB-DDDD']) await expect((await session(carol)).machines.deviceApprove({ userCode: code })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await session(carol)).machines.deviceApprove({ userCode: 'BBBB-FFFF' })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });

  it('is rate-limited per address', async () => {
    vi.stubEnv('DEVICE_LOGIN_LIMIT_PER_IP', '2/600');
    await (await anonymous('10.9.9.9')).machines.deviceStart();
    await (await anonymous('10.9.9.9')).machines.deviceStart();
    await expect((await anonymous('10.9.9.9')).machines.deviceStart()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    await expect((await anonymous('10.9.9.8')).machines.deviceStart()).resolves.toMatchObject({ intervalS: 2 });
  });
});
