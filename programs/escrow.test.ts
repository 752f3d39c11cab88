import { describe, expect, it } from 'vitest';
import { ESCROW_VAULT, PLATFORM_FEES, userAccount } from './accounts';
import { checkInvariants } from './invariants';
import { balanceOf } from './state';
import { type Draft, apply, eventsOf, ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';
import { walletOf } from './views';

const seed: Draft = { kind: 'mint', by: 'admin', to: 'payer', amount: cyx(10), reason: 'seed' };
const escrow = (amount: bigint): Draft => ({ kind: 'create_escrow', escrowId: 'job1', payer: 'payer', amount });

describe('escrow', () => {
  it('locks the deposit in the escrow vault', () => {
    const state = ledgerWith(seed, escrow(cyx(4)));
    expect(balanceOf(state, userAccount('payer'))).toBe(cyx(6));
    expect(balanceOf(state, ESCROW_VAULT)).toBe(cyx(4));
    expect(walletOf(state, 'payer')).toMatchObject({ available: cyx(6), inEscrow: cyx(4) });
  });

  it('refuses a second escrow for the same job and a deposit the payer lacks', () => {
    const state = ledgerWith(seed, escrow(cyx(4)));
    expect(apply(state, escrow(1n))).toMatchObject({ ok: false, code: 'ESCROW_EXISTS' });
    expect(apply(state, { kind: 'create_escrow', escrowId: 'job2', payer: 'payer', amount: cyx(7) })).toEqual({
      ok: false,
      code: 'INSUFFICIENT_FUNDS',
      message: 'Balance 6 CYX is less than the 7 CYX this escrow needs',
    });
  });

  it('rounds the fee down: a release of 7 µCYX pays the provider all 7', () => {
    const state = ledgerWith(seed, escrow(100n));
    const events = eventsOf(apply(state, { kind: 'release', escrowId: 'job1', provider: 'prov', amount: 7n, reason: 'checkpoint' }));
    expect(events.at(-1)).toMatchObject({ type: 'escrow_released', amount: 7n, fee: 0n, toProvider: 7n, remaining: 93n });
    expect(balanceOf(state, userAccount('prov'))).toBe(7n);
    expect(balanceOf(state, PLATFORM_FEES)).toBe(0n);
  });

  it('a release of 15 µCYX keeps a fee of 1 and pays 14', () => {
    const state = ledgerWith(seed, escrow(100n));
    const events = eventsOf(apply(state, { kind: 'release', escrowId: 'job1', provider: 'prov', amount: 15n, reason: 'completion' }));
    expect(events.at(-1)).toMatchObject({ fee: 1n, toProvider: 14n });
    expect(balanceOf(state, userAccount('prov'))).toBe(14n);
    expect(balanceOf(state, PLATFORM_FEES)).toBe(1n);
    expect(balanceOf(state, ESCROW_VAULT)).toBe(85n);
  });

  it('never releases more than is left', () => {
    const state = ledgerWith(seed, escrow(cyx(1)), { kind: 'release', escrowId: 'job1', provider: 'prov', amount: 600_000n, reason: 'checkpoint' });
    expect(apply(state, { kind: 'release', escrowId: 'job1', provider: 'prov', amount: 400_001n, reason: 'completion' })).toEqual({
      ok: false,
      code: 'RELEASE_EXCEEDS_ESCROW',
      message: 'Escrow job1 has 0.4 CYX left, less than the 0.400001 CYX this release asks for',
    });
    expect(apply(state, { kind: 'release', escrowId: 'nope', provider: 'prov', amount: 1n, reason: 'completion' })).toMatchObject({ ok: false, code: 'ESCROW_NOT_FOUND' });
  });

  it('refunds everything left to the payer, then closes', () => {
    const state = ledgerWith(seed, escrow(cyx(4)), { kind: 'release', escrowId: 'job1', provider: 'prov', amount: cyx(1), reason: 'checkpoint' });
    const events = eventsOf(apply(state, { kind: 'refund', escrowId: 'job1' }));
    expect(events.at(-1)).toEqual({ type: 'escrow_refunded', escrowId: 'job1', payer: 'payer', amount: cyx(3), remaining: 0n });
    expect(balanceOf(state, userAccount('payer'))).toBe(cyx(9));
    expect(apply(state, { kind: 'refund', escrowId: 'job1' })).toMatchObject({ ok: false, code: 'NOTHING_TO_REFUND' });
    expect(eventsOf(apply(state, { kind: 'close', escrowId: 'job1' }))).toEqual([{ type: 'escrow_closed', escrowId: 'job1', payer: 'payer' }]);
    expect(walletOf(state, 'payer').inEscrow).toBe(0n);
    expect(checkInvariants(state).every((check) => check.ok)).toBe(true);
  });

  it('will not close while money remains', () => {
    const state = ledgerWith(seed, escrow(cyx(4)));
    expect(apply(state, { kind: 'close', escrowId: 'job1' })).toEqual({
      ok: false,
      code: 'ESCROW_NOT_SETTLED',
      message: 'Escrow job1 still holds 4 CYX; release or refund it before closing',
    });
  });

  it('a closed escrow refuses releases, refunds and a second close with ESCROW_CLOSED', () => {
    const state = ledgerWith(seed, escrow(cyx(4)), { kind: 'release', escrowId: 'job1', provider: 'prov', amount: cyx(4), reason: 'completion' }, { kind: 'close', escrowId: 'job1' });
    for (const draft of [
      { kind: 'release', escrowId: 'job1', provider: 'prov', amount: 1n, reason: 'completion' },
      { kind: 'refund', escrowId: 'job1' },
      { kind: 'close', escrowId: 'job1' },
    ] as Draft[]) {
      expect(apply(state, draft)).toMatchObject({ ok: false, code: 'ESCROW_CLOSED' });
    }
    expect(apply(state, escrow(1n))).toMatchObject({ ok: false, code: 'ESCROW_EXISTS' });
  });
});
