import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyx } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { getLedger } from '../ledger';
import { LedgerExecutor } from '../ledger/executor';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { FAUCET_AMOUNT, FAUCET_LIMIT } from './faucet';

let db: Db;
let admin: PublicUser;
let alice: PublicUser;
let bob: PublicUser;
const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
const rid = () => randomUUID().replaceAll('-', '');
const faucetBefore = process.env.CYXWIZ_FAUCET;

beforeAll(async () => {
  ({ db } = await useTestDatabase('wallet'));
  admin = await signUp(db, { email: 'admin@example.com', username: 'boss', password: 'admin-password-1' }, 'admin');
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
});

afterAll(() => {
  if (faucetBefore === undefined) delete process.env.CYXWIZ_FAUCET;
  else process.env.CYXWIZ_FAUCET = faucetBefore;
});

describe('the wallet', () => {
  it('starts empty, and the faucet is off unless the server turns it on', async () => {
    delete process.env.CYXWIZ_FAUCET;
    const api = await as(alice);
    expect(await api.wallet.balance()).toEqual({ available: '0', inEscrow: '0', staked: '0', unstaking: [], faucet: null });
    await expect(api.wallet.faucet({ requestId: rid() })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'FAUCET_DISABLED' } });
    expect((await api.wallet.history({})).entries).toEqual([]);
  });

  it('the faucet mints once per request id, shows in the history, and is rate limited', async () => {
    process.env.CYXWIZ_FAUCET = '1';
    const api = await as(bob);
    const requestId = rid();
    const first = await api.wallet.faucet({ requestId });
    const again = await api.wallet.faucet({ requestId });
    expect(again).toEqual({ ...first, repeated: true });
    expect((await api.wallet.balance()).available).toBe(FAUCET_AMOUNT.toString());
    const { entries } = await api.wallet.history({});
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ seq: first.seq, kind: 'mint', change: FAUCET_AMOUNT.toString(), description: 'Faucet', link: null });
    for (let i = 1; i < FAUCET_LIMIT.max; i++) await api.wallet.faucet({ requestId: rid() });
    await expect(api.wallet.faucet({ requestId: rid() })).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', cause: { code: 'FAUCET_RATE_LIMITED' } });
    expect((await api.wallet.balance()).available).toBe((FAUCET_AMOUNT * BigInt(FAUCET_LIMIT.max)).toString());
  });

  it('history pages newest first by sequence and filters by kind', async () => {
    const api = await as(bob);
    const page1 = await api.wallet.history({ limit: 2 });
    expect(page1.entries.map((e) => e.seq)).toEqual([...page1.entries.map((e) => e.seq)].sort((a, b) => b - a));
    expect(page1.nextCursor).toBe(page1.entries[1]!.seq);
    const page2 = await api.wallet.history({ limit: 100, cursor: page1.nextCursor! });
    expect(page2.entries.every((e) => e.seq < page1.entries[1]!.seq)).toBe(true);
    expect(page1.entries.length + page2.entries.length).toBe(FAUCET_LIMIT.max);
    expect((await api.wallet.history({ kind: 'transfer' })).entries).toEqual([]);
    await expect(api.wallet.history({ kind: 'steal' as 'mint' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('administrators and the ledger', () => {
  it('only an admin mints, with an amount, a person and a reason; each mint is audited once', async () => {
    await expect((await as(alice)).admin.ledger.mint({ to: 'alice', amount: '5', reason: 'self-help', requestId: rid() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const api = await as(admin);
    await expect(api.admin.ledger.mint({ to: 'alice', amount: '1e3', reason: 'grant', requestId: rid() })).rejects.toMatchObject({ cause: { code: 'AMOUNT_INVALID', field: 'amount' } });
    await expect(api.admin.ledger.mint({ to: 'alice', amount: '0.0000001', reason: 'grant', requestId: rid() })).rejects.toMatchObject({ cause: { code: 'AMOUNT_INVALID' } });
    await expect(api.admin.ledger.mint({ to: 'nobody', amount: '5', reason: 'grant', requestId: rid() })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'USER_NOT_FOUND' } });
    await expect(api.admin.ledger.mint({ to: 'alice', amount: '5', reason: '', requestId: rid() })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const requestId = rid();
    const minted = await api.admin.ledger.mint({ to: 'ALICE@example.com', amount: '12.5', reason: 'Beta tester grant', requestId });
    expect(minted).toMatchObject({ amount: '12500000', to: 'alice', repeated: false });
    expect(await api.admin.ledger.mint({ to: 'alice', amount: '12.5', reason: 'Beta tester grant', requestId })).toMatchObject({ seq: minted.seq, repeated: true });
    expect((await (await as(alice)).wallet.balance()).available).toBe('12500000');
    const audits = await db.collection('audit').find({ action: 'ledger.mint' }).toArray();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ target: expect.stringContaining('alice: 12.5 CYX (Beta tester grant)') });
    const [entry] = (await (await as(alice)).wallet.history({})).entries;
    expect(entry).toMatchObject({ kind: 'mint', change: '12500000', description: 'Minted by boss: Beta tester grant' });
  });

  it('50 concurrent submitters through tRPC end in the state a replay of the log from nothing gives', async () => {
    process.env.CYXWIZ_FAUCET = '1';
    const people = await Promise.all(Array.from({ length: 25 }, (_, i) => signUp(db, { email: `p${i}@example.com`, username: `p${i}`, password: 'people-password-1' })));
    const api = await as(admin);
    await Promise.all([
      ...people.map(async (p) => (await as(p)).wallet.faucet({ requestId: rid() })),
      ...people.map((p) => api.admin.ledger.mint({ to: p.username!, amount: '3', reason: 'concurrency check', requestId: rid() })),
    ]);
    for (const p of people) expect((await (await as(p)).wallet.balance()).available).toBe((FAUCET_AMOUNT + cyx(3)).toString());
    const report = await api.admin.ledger.verify();
    expect(report).toMatchObject({ matchesLive: true, supply: { minted: report.supply.held } });
    expect(report.invariants.every((i) => i.ok)).toBe(true);
    // A second executor opened on the same database rebuilds byte-identical state.
    const live = await (await getLedger(db)).encodedState();
    const reopened = await LedgerExecutor.open(db, { holder: 'second-process' });
    try {
      expect((await reopened.encodedState()).text).toBe(live.text);
    } finally {
      await reopened.close();
    }
  });
});
