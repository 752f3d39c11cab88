import { describe, expect, it } from 'vitest';
import { userAccount } from './accounts';
import { balanceOf } from './state';
import { apply, eventsOf, ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';
import { supplyOf } from './views';
import { MAX_AMOUNT } from './rules';

describe('token: mint', () => {
  it('credits the recipient and grows the supply', () => {
    const state = ledgerWith();
    const events = eventsOf(apply(state, { kind: 'mint', by: 'admin', to: 'alice', amount: cyx(5), reason: 'demo seed' }));
    expect(balanceOf(state, userAccount('alice'))).toBe(cyx(5));
    expect(supplyOf(state)).toEqual({ minted: cyx(5), held: cyx(5) });
    expect(events).toEqual([
      { type: 'credited', account: 'user:alice', amount: cyx(5) },
      { type: 'minted', to: 'alice', amount: cyx(5), by: 'admin', reason: 'demo seed' },
    ]);
  });

  it('needs a reason', () => {
    const outcome = apply(ledgerWith(), { kind: 'mint', by: 'admin', to: 'alice', amount: 1n, reason: '  ' });
    expect(outcome).toMatchObject({ ok: false, code: 'BAD_INSTRUCTION', message: 'A mint instruction needs a non-empty reason' });
  });

  it('refuses to take the supply past 2^63 - 1', () => {
    const state = ledgerWith({ kind: 'mint', by: 'admin', to: 'alice', amount: MAX_AMOUNT, reason: 'all of it' });
    expect(apply(state, { kind: 'mint', by: 'admin', to: 'bob', amount: 1n, reason: 'one more' })).toMatchObject({ ok: false, code: 'AMOUNT_OVERFLOW' });
    expect(balanceOf(state, userAccount('bob'))).toBe(0n);
    expect(state.minted).toBe(MAX_AMOUNT);
  });
});

describe('token: transfer', () => {
  it('moves money between users', () => {
    const state = ledgerWith({ kind: 'mint', by: 'admin', to: 'alice', amount: cyx(5), reason: 'seed' });
    const events = eventsOf(apply(state, { kind: 'transfer', from: 'alice', to: 'bob', amount: cyx(2), memo: 'lunch' }));
    expect(balanceOf(state, userAccount('alice'))).toBe(cyx(3));
    expect(balanceOf(state, userAccount('bob'))).toBe(cyx(2));
    expect(events.at(-1)).toEqual({ type: 'transferred', from: 'alice', to: 'bob', amount: cyx(2), memo: 'lunch' });
  });

  it('says how much is missing when the balance is short, and changes nothing', () => {
    const state = ledgerWith({ kind: 'mint', by: 'admin', to: 'alice', amount: 3_200_000n, reason: 'seed' });
    const outcome = apply(state, { kind: 'transfer', from: 'alice', to: 'bob', amount: cyx(5) });
    expect(outcome).toEqual({ ok: false, code: 'INSUFFICIENT_FUNDS', message: 'Balance 3.2 CYX is less than the 5 CYX this transfer needs' });
    expect(balanceOf(state, userAccount('alice'))).toBe(3_200_000n);
    expect(state.applied.size).toBe(1);
  });

  it('refuses a transfer to oneself', () => {
    const state = ledgerWith({ kind: 'mint', by: 'admin', to: 'alice', amount: cyx(1), reason: 'seed' });
    expect(apply(state, { kind: 'transfer', from: 'alice', to: 'alice', amount: 1n })).toMatchObject({ ok: false, code: 'SAME_ACCOUNT' });
  });

  it('moves the whole balance, leaving no zero entry behind', () => {
    const state = ledgerWith({ kind: 'mint', by: 'admin', to: 'alice', amount: 7n, reason: 'seed' }, { kind: 'transfer', from: 'alice', to: 'bob', amount: 7n });
    expect(state.balances.has(userAccount('alice'))).toBe(false);
    expect(balanceOf(state, userAccount('bob'))).toBe(7n);
  });
});
