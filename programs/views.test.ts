import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants';
import { UNSTAKE_LOCKUP_MS } from './rules';
import { decodeState, encodeState } from './snapshot';
import { apply, eventsOf, ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';
import { supplyOf, walletOf } from './views';

describe('wallet views', () => {
  it('splits a user’s money into available, in escrow, staked and unstaking (soonest first)', () => {
    const state = ledgerWith(
      { kind: 'mint', by: 'admin', to: 'ann', amount: cyx(1000), reason: 'seed' },
      { kind: 'create_escrow', escrowId: 'j1', payer: 'ann', amount: cyx(30) },
      { kind: 'create_escrow', escrowId: 'j2', payer: 'ann', amount: cyx(20) },
      { kind: 'release', escrowId: 'j2', provider: 'pat', amount: cyx(5), reason: 'checkpoint' },
      { kind: 'register_node', nodeId: 'a', owner: 'ann', stake: cyx(100) },
      { kind: 'register_node', nodeId: 'b', owner: 'ann', stake: cyx(110) },
      { kind: 'register_node', nodeId: 'c', owner: 'ann', stake: cyx(120) },
      { kind: 'request_unstake', nodeId: 'c', at: 5_000 },
      { kind: 'request_unstake', nodeId: 'b', at: 9_000 },
    );
    expect(walletOf(state, 'ann')).toEqual({
      available: cyx(1000 - 50 - 330),
      inEscrow: cyx(45),
      staked: cyx(100),
      unstaking: [
        { nodeId: 'c', amount: cyx(120), availableAt: 5_000 + UNSTAKE_LOCKUP_MS },
        { nodeId: 'b', amount: cyx(110), availableAt: 9_000 + UNSTAKE_LOCKUP_MS },
      ],
    });
    expect(walletOf(state, 'pat')).toEqual({ available: cyx(5) - cyx(5) / 10n, inEscrow: 0n, staked: 0n, unstaking: [] });
    expect(walletOf(state, 'nobody')).toEqual({ available: 0n, inEscrow: 0n, staked: 0n, unstaking: [] });
    expect(supplyOf(state)).toEqual({ minted: cyx(1000), held: cyx(1000) });
  });

  it('a closed escrow no longer counts as in escrow', () => {
    const state = ledgerWith(
      { kind: 'mint', by: 'admin', to: 'ann', amount: cyx(10), reason: 'seed' },
      { kind: 'create_escrow', escrowId: 'j1', payer: 'ann', amount: cyx(4) },
    );
    eventsOf(apply(state, { kind: 'refund', escrowId: 'j1' }));
    eventsOf(apply(state, { kind: 'close', escrowId: 'j1' }));
    expect(walletOf(state, 'ann')).toMatchObject({ available: cyx(10), inEscrow: 0n });
    expect(walletOf(decodeState(encodeState(state)), 'ann')).toMatchObject({ available: cyx(10), inEscrow: 0n });
  });
});

describe('checkInvariants', () => {
  it('reports each broken rule by name with the figures', () => {
    const state = ledgerWith(
      { kind: 'mint', by: 'admin', to: 'ann', amount: cyx(200), reason: 'seed' },
      { kind: 'create_escrow', escrowId: 'j1', payer: 'ann', amount: cyx(4) },
      { kind: 'register_node', nodeId: 'a', owner: 'ann', stake: cyx(100) },
    );
    expect(checkInvariants(state).every((check) => check.ok)).toBe(true);
    // Damage the state behind the programs' back, as a bad snapshot or a bug would.
    state.escrows.get('j1')!.released = cyx(5);
    state.nodes.get('a')!.stake = cyx(99);
    state.balances.set('user:ann', -1n);
    const failed = Object.fromEntries(checkInvariants(state).filter((check) => !check.ok).map((check) => [check.name, check.detail]));
    expect(Object.keys(failed).sort()).toEqual(['escrow_payouts_within_deposit', 'escrow_vault_matches_open_escrows', 'no_negative_balance', 'stake_vault_matches_stakes', 'supply_equals_minted']);
    expect(failed.no_negative_balance).toBe('user:ann holds -0.000001 CYX');
    expect(failed.escrow_payouts_within_deposit).toBe('escrow j1 paid out 1 CYX more than its deposit');
    expect(failed.stake_vault_matches_stakes).toBe('system:stake-vault against the sum of node stakes: 100 CYX held, 99 CYX expected');
  });
});
