import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cyx } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { applyJobEvent } from '../jobs/apply-job-event';
import { queuedJob } from '../jobs/testing/fixtures';
import { getLedger } from '../ledger';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { procedureStats } from '../trpc/procedure-stats';
import { createCaller } from '../trpc/root';

let db: Db;
let admin: PublicUser;
let user: PublicUser;
const asAdmin = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_ledger_health'));
  admin = await signUp(db, { email: 'ops@example.com', username: 'ops', password: 'ops-password-1' }, 'admin');
  user = await signUp(db, { email: 'u@example.com', username: 'someone', password: 'some-password-1' });
  const ledger = await getLedger(db);
  for (let i = 0; i < 70; i++) await ledger.submit({ kind: 'mint', key: `seed-${i}`, at: 1_000 + i, by: admin.id, to: user.id, amount: cyx(1), reason: `grant ${i}` });
  await ledger.submit({ kind: 'create_escrow', key: 'esc', at: 2_000, escrowId: 'job-1', payer: user.id, amount: cyx(10) });
  await ledger.submit({ kind: 'release', key: 'rel', at: 2_001, escrowId: 'job-1', provider: admin.id, amount: cyx(4), reason: 'checkpoint' });
});

describe('admin ledger dashboard', () => {
  it('checks every invariant over the live view and totals the escrows and system accounts', async () => {
    const o = await (await asAdmin()).admin.ledger.overview();
    expect(o.seq).toBe(72);
    expect(o.supply).toEqual({ minted: cyx(70).toString(), held: cyx(70).toString() });
    expect(o.invariants.length).toBeGreaterThanOrEqual(7);
    expect(o.invariants.every((i) => i.ok)).toBe(true);
    expect(o.systemAccounts).toEqual(expect.arrayContaining([{ account: 'system:platform-fees', balance: (cyx(4) / 10n).toString() }, { account: 'system:escrow-vault', balance: cyx(6).toString() }]));
    expect(o.escrows).toMatchObject({ open: 1, closed: 0, openRemaining: cyx(6).toString(), deposited: cyx(10).toString(), released: cyx(4).toString() });
  });

  it('browses the log newest first across pages, by kind, by key and by seq', async () => {
    const caller = await asAdmin();
    const first = await caller.admin.ledger.log({ limit: 5 });
    expect(first.rows.map((r) => r.seq)).toEqual([72, 71, 70, 69, 68]);
    expect(first.rows[0]).toMatchObject({ kind: 'release', key: 'rel', fields: { escrowId: 'job-1', amount: cyx(4).toString(), reason: 'checkpoint' } });
    // 72 entries span two pages of 64: the second page's rows continue where the first left off.
    let before = first.nextBefore;
    const seen = [...first.rows.map((r) => r.seq)];
    while (before !== null) {
      const page = await caller.admin.ledger.log({ before, limit: 30 });
      seen.push(...page.rows.map((r) => r.seq));
      before = page.nextBefore;
    }
    expect(seen).toEqual(Array.from({ length: 72 }, (_, i) => 72 - i));
    expect((await caller.admin.ledger.log({ kind: 'create_escrow', limit: 10 })).rows.map((r) => r.seq)).toEqual([71]);
    expect((await caller.admin.ledger.log({ key: 'seed-3', limit: 10 })).rows.map((r) => r.seq)).toEqual([4]);
    expect((await caller.admin.ledger.log({ seq: 10, limit: 10 })).rows[0]).toMatchObject({ key: 'seed-9', fields: { reason: 'grant 9' } });
  });
});

describe('admin health', () => {
  it("reports the calls, errors and latency of the procedures this test made, and the database's figures", async () => {
    const caller = await asAdmin();
    const plain = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
    const before = procedureStats().summary().find((p) => p.path === 'health.ping')?.calls ?? 0;
    const deniedBefore = procedureStats().summary().find((p) => p.path === 'admin.overview');
    for (let i = 0; i < 7; i++) await caller.health.ping();
    for (let i = 0; i < 3; i++) await expect(plain.admin.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const report = await caller.admin.health();
    const ping = report.procedures.find((p) => p.path === 'health.ping')!;
    expect(ping.calls - before).toBe(7);
    expect(ping.errors).toBe(0);
    expect(ping.p99Ms).toBeGreaterThan(0);
    expect(ping.minutes.at(-1)!.calls).toBeGreaterThanOrEqual(1);
    const denied = report.procedures.find((p) => p.path === 'admin.overview')!;
    expect(denied.errors - (deniedBefore?.errors ?? 0)).toBe(3);
    expect(denied.serverErrors).toBe(0);
    expect(report.database.engine).toMatch(/^(FerretDB|MongoDB)$/);
    expect(report.database.latencyMs).toBeGreaterThan(0);
    expect(report.scheduler).toEqual({ queued: 0, escrowed: 0, assigned: 0, running: 0, leasesExpiringSoon: 0, timeToAssign: { samples: 0, p50Ms: null, p99Ms: null } });
    expect(report.machinesOnline).toBe(0);
    expect(report.heartbeats.counted).toBe(0);
  });

  it('measures the time from the queue to the assignment of the jobs holding a lease, and the leases about to expire', async () => {
    const queuedAt = new Date(Date.now() - 10_000);
    const fast = await queuedJob(db, queuedAt);
    const slow = await queuedJob(db, queuedAt);
    await applyJobEvent(db, fast._id, { type: 'assign', machineId: 'm1', unitId: 'm1:0', expiresAt: Date.now() + 20_000 }, new Date(queuedAt.getTime() + 2_000));
    await applyJobEvent(db, slow._id, { type: 'assign', machineId: 'm2', unitId: 'm2:0', expiresAt: Date.now() + 120_000 }, new Date(queuedAt.getTime() + 6_000));
    const { scheduler } = await (await asAdmin()).admin.health();
    expect(scheduler).toMatchObject({ assigned: 2, leasesExpiringSoon: 1, timeToAssign: { samples: 2, p50Ms: 2_000, p99Ms: 6_000 } });
  });

  it("counts a lease by the later of the job's expiry and its machine's heartbeat renewal", async () => {
    const before = (await (await asAdmin()).admin.health()).scheduler.leasesExpiringSoon;
    const beating = new ObjectId();
    const silent = new ObjectId();
    // Only leasesUntil is read from these machines: the heartbeat's renewal of every lease they hold.
    await db.collection('machines').insertMany([
      { _id: beating, leasesUntil: new Date(Date.now() + 5 * 60_000) },
      { _id: silent, leasesUntil: new Date(Date.now() - 60_000) },
    ]);
    const renewed = await queuedJob(db, new Date());
    const lapsing = await queuedJob(db, new Date());
    await applyJobEvent(db, renewed._id, { type: 'assign', machineId: beating.toHexString(), unitId: 'b:0', expiresAt: Date.now() + 10_000 }, new Date());
    await applyJobEvent(db, lapsing._id, { type: 'assign', machineId: silent.toHexString(), unitId: 's:0', expiresAt: Date.now() + 10_000 }, new Date());
    const { scheduler } = await (await asAdmin()).admin.health();
    // The beating machine's lease runs 5 more minutes; only the silent one's is about to run out.
    expect(scheduler.leasesExpiringSoon - before).toBe(1);
  });
});
