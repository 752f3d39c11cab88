import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_BAN_PERCENT, cyx, MIN_STAKE, PENALTIES } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { explainJob } from '../jobs/explain-job';
import { insertMachine, queuedJob } from '../jobs/testing/fixtures';
import { getLedger } from '../ledger';
import { machinesCollection } from '../machines/collections';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';

let db: Db;
let admin: PublicUser;
let owner: PublicUser;
const clock = new Date('2026-04-01T12:00:00Z');
const now = () => clock;
let seq = 0;
const requestId = () => `req-${Date.now()}-${++seq}`;

const asAdmin = async () => createCaller(await createContext({ db, headers: new Headers({ 'x-forwarded-for': '10.9.8.7' }), sessionUserId: admin.id, now }));

/** A machine of `owner` heard from now, staked through the ledger as registration stakes it. */
async function stakedMachine(spec: Parameters<typeof insertMachine>[2] = {}, stake = MIN_STAKE): Promise<string> {
  const { machineId } = await insertMachine(db, clock, spec);
  await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(owner.id), name: `rig-${machineId.slice(-4)}` } });
  const ledger = await getLedger(db);
  const r = await ledger.submit({ kind: 'register_node', key: `machine-register:${machineId}`, at: clock.getTime(), nodeId: machineId, owner: owner.id, stake });
  if (!r.outcome.ok) throw new Error(r.outcome.message);
  return machineId;
}

const auditOf = (action: string, machineId: string) => collections(db).audit.find({ action: action as never, target: { $regex: machineId } }).toArray();

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_machines'));
  admin = await signUp(db, { email: 'root@example.com', username: 'root', password: 'root-password-1' }, 'admin');
  owner = await signUp(db, { email: 'prov@example.com', username: 'provider', password: 'prov-password-1' });
  const ledger = await getLedger(db);
  await ledger.submit({ kind: 'mint', key: 'seed-provider', at: clock.getTime(), by: admin.id, to: owner.id, amount: cyx(2000), reason: 'seed' });
});

describe('admin machines', () => {
  it('lists every machine with its owner, status, registry stake and record, and filters by status', async () => {
    const online = await stakedMachine();
    const offline = await stakedMachine({ lastSeenAt: new Date(clock.getTime() - 60 * 60_000) });
    await machinesCollection(db).updateOne({ _id: new ObjectId(online) }, { $set: { jobId: null } });
    const caller = await asAdmin();
    const all = await caller.admin.machines.list({});
    const row = all.rows.find((r) => r.id === online)!;
    expect(row).toMatchObject({ owner: { id: owner.id, name: 'provider' }, status: 'online', registry: { status: 'active', stakeMicro: MIN_STAKE.toString(), slashedMicro: '0', jobs: 0, successRate: null }, currentJobId: null });
    const offlineRows = (await caller.admin.machines.list({ status: 'offline' })).rows.map((r) => r.id);
    expect(offlineRows).toContain(offline);
    expect(offlineRows).not.toContain(online);
    expect((await caller.admin.machines.list({ status: 'online' })).rows.map((r) => r.id)).toContain(online);
    expect(all.counts.online).toBeGreaterThanOrEqual(1);
  });

  it(`ban slashes ${ADMIN_BAN_PERCENT}% of the stake through ban_node, leaves one audit entry, and a retry slashes nothing more`, async () => {
    const machineId = await stakedMachine({}, cyx(150));
    const ledger = await getLedger(db);
    const penaltiesBefore = await ledger.inspect((s) => s.balances.get(PENALTIES) ?? 0n);
    const caller = await asAdmin();
    const id = requestId();
    const first = await caller.admin.machines.ban({ machineId, reason: 'faked its results', requestId: id });
    const expected = (cyx(150) * BigInt(ADMIN_BAN_PERCENT)) / 100n;
    expect(first).toEqual({ slashedMicro: expected.toString(), repeated: false, requeued: [] });
    expect(await ledger.inspect((s) => (s.balances.get(PENALTIES) ?? 0n) - penaltiesBefore)).toBe(expected);
    const row = (await caller.admin.machines.list({ status: 'banned' })).rows.find((r) => r.id === machineId)!;
    expect(row).toMatchObject({ status: 'banned', banReason: 'faked its results', registry: { status: 'banned', slashedMicro: expected.toString() } });

    // The same click again: the machine is banned already, the ledger is not asked twice.
    await expect(caller.admin.machines.ban({ machineId, reason: 'faked its results', requestId: id })).rejects.toMatchObject({ cause: { code: 'MACHINE_BANNED' } });
    const audits = await auditOf('machine.ban', machineId);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: new ObjectId(admin.id), reason: 'faked its results', ip: '10.9.8.7' });
    expect(await ledger.inspect((s) => (s.balances.get(PENALTIES) ?? 0n) - penaltiesBefore)).toBe(expected);
  });

  it('a ban whose machine update did not land is finished by the retry: one slash, one audit entry', async () => {
    const machineId = await stakedMachine();
    const id = requestId();
    const ledger = await getLedger(db);
    // The first attempt reached the ledger and then its process died.
    await ledger.submit({ kind: 'ban_node', key: `admin-ban:${machineId}:${id}`, at: clock.getTime(), nodeId: machineId, by: admin.id, reason: 'spam' });
    const retry = await (await asAdmin()).admin.machines.ban({ machineId, reason: 'spam', requestId: id });
    expect(retry.repeated).toBe(true);
    expect(await auditOf('machine.ban', machineId)).toHaveLength(1);
    expect((await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }))!.bannedAt).toEqual(clock);
  });

  it('a banned machine is passed over by the scheduler; unban leaves it withdrawn and audited once', async () => {
    const machineId = await stakedMachine();
    const caller = await asAdmin();
    await caller.admin.machines.ban({ machineId, reason: 'abuse report', requestId: requestId() });
    const job = await queuedJob(db, clock);
    const explained = await caller.admin.machines.explainJob({ jobId: job._id.toHexString() });
    expect(explained).toEqual(await explainJob(db, job._id.toHexString(), clock));
    const mine = explained.candidates.filter((c) => c.machineId === machineId);
    expect(mine.length).toBeGreaterThan(0);
    // Passed over because of the ban (the code is the scheduler's to name; the reason says banned).
    for (const c of mine) expect(c.passedOver?.message).toMatch(/banned/);

    await caller.admin.machines.unban({ machineId, reason: 'appeal upheld', requestId: requestId() });
    const row = (await caller.admin.machines.list({})).rows.find((r) => r.id === machineId)!;
    expect(row).toMatchObject({ status: 'online', banReason: null, registry: { status: 'withdrawn', stakeMicro: '0' } });
    expect(await auditOf('machine.unban', machineId)).toHaveLength(1);
    await expect(caller.admin.machines.unban({ machineId, reason: 'again', requestId: requestId() })).rejects.toMatchObject({ cause: { code: 'MACHINE_NOT_BANNED' } });
  });

  it('maintenance by an admin is audited once per change, and a reason is required', async () => {
    const machineId = await stakedMachine();
    const caller = await asAdmin();
    expect(await caller.admin.machines.setMaintenance({ machineId, on: true, reason: 'driver bug' })).toEqual({ changed: true });
    expect(await caller.admin.machines.setMaintenance({ machineId, on: true, reason: 'driver bug' })).toEqual({ changed: false });
    expect((await caller.admin.machines.list({ status: 'maintenance' })).rows.map((r) => r.id)).toContain(machineId);
    expect(await auditOf('machine.maintenance', machineId)).toHaveLength(1);
    await expect(caller.admin.machines.setMaintenance({ machineId, on: false, reason: ' ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(caller.admin.machines.ban({ machineId: new ObjectId().toHexString(), reason: 'who?', requestId: requestId() })).rejects.toMatchObject({ cause: { code: 'MACHINE_NOT_FOUND' } });
  });
});
