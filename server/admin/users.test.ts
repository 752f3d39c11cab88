import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyx } from '../../programs/index';
import { signUp, verifyCredentials, type PublicUser } from '../auth/users';
import { getLedger } from '../ledger/index';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { REASON_MAX } from './reason';

let db: Db;
let boss: PublicUser;
let ada: PublicUser;
let bob: PublicUser;

const as = async (user: PublicUser, sessionVersion = 0) => createCaller(await createContext({ db, headers: new Headers({ 'x-forwarded-for': '10.0.0.9' }), sessionUserId: user.id, sessionVersion }));
const auditCount = (action?: string) => db.collection('audit').countDocuments(action ? { action } : {});

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_users'));
  boss = await signUp(db, { email: 'boss@example.com', username: 'boss', password: 'boss-password-1' }, 'admin');
  ada = await signUp(db, { email: 'ada@example.com', username: 'Ada', password: 'ada-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
});

afterAll(async () => {
  await (await getLedger(db)).close();
});

describe('admin.users', () => {
  it('finds people by exact email or username (any case), or lists everyone newest first with filters and pages', async () => {
    const api = await as(boss);
    expect((await api.admin.users.search({ query: 'ADA' })).rows.map((r) => r.email)).toEqual(['ada@example.com']);
    expect((await api.admin.users.search({ query: 'Bob@Example.com' })).rows.map((r) => r.username)).toEqual(['bob']);
    expect((await api.admin.users.search({ query: 'ad' })).rows).toEqual([]);
    expect((await api.admin.users.search({ role: 'admin' })).rows.map((r) => r.username)).toEqual(['boss']);
    expect((await api.admin.users.search({ role: 'user' })).rows.map((r) => r.username)).toEqual(['bob', 'Ada']);
    const first = await api.admin.users.search({ limit: 2 });
    expect(first.rows.map((r) => r.username)).toEqual(['bob', 'Ada']);
    const second = await api.admin.users.search({ limit: 2, cursor: first.nextCursor! });
    expect(second).toMatchObject({ rows: [{ username: 'boss' }], nextCursor: null });
    await expect(api.admin.users.search({ cursor: 'nope' })).rejects.toMatchObject({ cause: { code: 'CURSOR_INVALID' } });
  });

  it('shows one person with their counts and balance', async () => {
    await (await getLedger(db)).submit({ kind: 'mint', key: 'admin-users-detail', at: Date.now(), by: 'test', to: bob.id, amount: cyx(7), reason: 'test' });
    await (await as(bob)).models.create({ name: 'Bob net', template: 'mlp' });
    const detail = await (await as(boss)).admin.users.detail({ userId: bob.id });
    expect(detail).toMatchObject({ email: 'bob@example.com', role: 'user', disabledAt: null, counts: { models: 1, datasets: 0, machines: 0, jobs: 0, apiKeys: 0 }, wallet: { available: cyx(7).toString(), inEscrow: '0', staked: '0' } });
    await expect((await as(boss)).admin.users.detail({ userId: new ObjectId().toHexString() })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'USER_NOT_FOUND' } });
  });

  it('requires a reason of 3 to 200 characters for every action, and writes nothing without one', async () => {
    const api = await as(boss);
    const before = await auditCount();
    for (const reason of ['', '  a ', 'x'.repeat(REASON_MAX + 1)]) {
      await expect(api.admin.users.disable({ userId: bob.id, reason })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(api.admin.users.enable({ userId: bob.id, reason })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(api.admin.users.setRole({ userId: bob.id, role: 'admin', reason })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(api.admin.users.resetLockout({ userId: bob.id, reason })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    }
    expect(await auditCount()).toBe(before);
    expect((await api.admin.users.detail({ userId: bob.id })).role).toBe('user');
    expect((await api.admin.users.detail({ userId: bob.id })).disabledAt).toBeNull();
  });

  it('never demotes or disables the last active admin', async () => {
    const api = await as(boss);
    await expect(api.admin.users.setRole({ userId: boss.id, role: 'user', reason: 'stepping down' })).rejects.toMatchObject({ code: 'CONFLICT', cause: { code: 'LAST_ADMIN' } });
    await expect(api.admin.users.disable({ userId: boss.id, reason: 'oops' })).rejects.toMatchObject({ cause: { code: 'CANNOT_DISABLE_SELF' } });

    await api.admin.users.setRole({ userId: ada.id, role: 'admin', reason: 'New operator' });
    const asAda = await as(ada);
    await asAda.admin.users.disable({ userId: boss.id, reason: 'Laptop stolen' });
    // A disabled admin is no admin: Ada is the only active one now.
    await expect(asAda.admin.users.setRole({ userId: ada.id, role: 'user', reason: 'stepping down' })).rejects.toMatchObject({ cause: { code: 'LAST_ADMIN' } });
    await asAda.admin.users.enable({ userId: boss.id, reason: 'Laptop found' });

    const bossAgain = await as(boss, 1);
    await bossAgain.admin.users.setRole({ userId: ada.id, role: 'user', reason: 'Back to normal' });
    await expect(bossAgain.admin.users.setRole({ userId: boss.id, role: 'user', reason: 'stepping down' })).rejects.toMatchObject({ cause: { code: 'LAST_ADMIN' } });
    expect((await bossAgain.admin.users.detail({ userId: boss.id })).role).toBe('admin');
  });

  it('leaves exactly one audit entry per action, with actor, target, reason and address', async () => {
    const api = await as(boss, 1);
    const actions = [
      ['user.role', () => api.admin.users.setRole({ userId: bob.id, role: 'admin', reason: 'Audit me 1' })],
      ['user.role', () => api.admin.users.setRole({ userId: bob.id, role: 'user', reason: 'Audit me 2' })],
      ['user.disable', () => api.admin.users.disable({ userId: bob.id, reason: 'Audit me 3' })],
      ['user.enable', () => api.admin.users.enable({ userId: bob.id, reason: 'Audit me 4' })],
      ['user.lockout_reset', () => api.admin.users.resetLockout({ userId: bob.id, reason: 'Audit me 5' })],
      ['ledger.mint', () => api.admin.ledger.mint({ to: 'bob', amount: '1', reason: 'Audit me 6', requestId: 'audit-me-6' })],
    ] as const;
    for (const [action, run] of actions) {
      const before = await auditCount();
      await run();
      expect(await auditCount()).toBe(before + 1);
      const [entry] = await db.collection('audit').find({}).sort({ _id: -1 }).limit(1).toArray();
      expect(entry).toMatchObject({ action, actorId: new ObjectId(boss.id), ip: '10.0.0.9', reason: expect.stringMatching(/^Audit me \d$/) });
      expect(entry!.target).toMatch(/bob/);
    }
    // Refused and no-op actions leave none.
    const before = await auditCount();
    expect(await api.admin.users.setRole({ userId: bob.id, role: 'user', reason: 'no change' })).toMatchObject({ changed: false });
    await expect(api.admin.users.enable({ userId: bob.id, reason: 'not disabled' })).rejects.toMatchObject({ cause: { code: 'NOT_DISABLED' } });
    expect(await auditCount()).toBe(before);
  });

  it('an ADMIN_EMAILS admin cannot be demoted here', async () => {
    process.env.ADMIN_EMAILS = 'bob@example.com';
    try {
      await expect((await as(boss, 1)).admin.users.setRole({ userId: bob.id, role: 'user', reason: 'demote' })).rejects.toMatchObject({ cause: { code: 'ROLE_FROM_ENV' } });
      expect((await (await as(boss, 1)).admin.users.search({ role: 'admin' })).rows.map((r) => r.username).sort()).toEqual(['bob', 'boss']);
    } finally {
      delete process.env.ADMIN_EMAILS;
    }
  });
});

describe('security events', () => {
  it('a sign-in lockout is audited once per window, and an admin can lift it', async () => {
    await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
    for (let i = 0; i < 5; i++) await expect(verifyCredentials(db, 'carol@example.com', 'wrong-password', '10.1.1.1')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    for (let i = 0; i < 3; i++) await expect(verifyCredentials(db, 'carol@example.com', 'carol-password-1', '10.1.1.1')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const lockouts = await db.collection('audit').find({ action: 'auth.lockout' }).toArray();
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actorId: null, target: 'sign-in: account carol@example.com', ip: '10.1.1.1' });

    const carol = (await (await as(boss, 1)).admin.users.search({ query: 'carol' })).rows[0]!;
    await (await as(boss, 1)).admin.users.resetLockout({ userId: carol.id, reason: 'Verified by phone' });
    expect((await verifyCredentials(db, 'carol@example.com', 'carol-password-1', '10.1.1.1')).email).toBe('carol@example.com');
  });

  it('creating and revoking an API key are audited', async () => {
    // Bob's sessions ended when he was disabled above: he signed in again since (version 1).
    const api = await as(bob, 1);
    const { summary } = await api.apiKeys.create({ name: 'laptop' });
    await api.apiKeys.revoke({ id: summary.id });
    const entries = await db.collection('audit').find({ actorId: new ObjectId(bob.id) }).sort({ _id: 1 }).toArray();
    expect(entries.map((e) => e.action)).toEqual(['apikey.create', 'apikey.revoke']);
    expect(entries[0]!.target).toContain('laptop');
  });
});

describe('racing admins', () => {
  it('two admins demoting each other at once never leave no admin, and only what landed is audited', async () => {
    const zed = await signUp(db, { email: 'zed@example.com', username: 'zed', password: 'zed-password-1' }, 'admin');
    const yan = await signUp(db, { email: 'yan@example.com', username: 'yan', password: 'yan-password-1' }, 'admin');
    // Boss steps aside (disabled admins do not count), so zed and yan are the only two. Runs last: boss stays disabled.
    await (await as(zed)).admin.users.disable({ userId: boss.id, reason: 'out of the way' });
    const before = await auditCount('user.role');
    const results = await Promise.allSettled([
      (await as(zed)).admin.users.setRole({ userId: yan.id, role: 'user', reason: 'race one' }),
      (await as(yan)).admin.users.setRole({ userId: zed.id, role: 'user', reason: 'race two' }),
    ]);
    const landed = results.filter((r) => r.status === 'fulfilled').length;
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ cause: { code: 'LAST_ADMIN' } });
    const admins = await db.collection('users').countDocuments({ _id: { $in: [new ObjectId(zed.id), new ObjectId(yan.id)] }, role: 'admin' });
    expect(admins).toBeGreaterThanOrEqual(1);
    expect(admins + landed).toBe(2);
    expect(await auditCount('user.role')).toBe(before + landed);
  });
});
