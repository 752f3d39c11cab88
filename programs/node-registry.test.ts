import { describe, expect, it } from 'vitest';
import { PENALTIES, STAKE_VAULT, userAccount } from './accounts';
import { checkInvariants } from './invariants';
import { MIN_STAKE, REPEATED_FAILURES, UNSTAKE_LOCKUP_MS } from './rules';
import { balanceOf } from './state';
import { type Draft, apply, eventsOf, ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';
import { walletOf } from './views';

const seed: Draft = { kind: 'mint', by: 'admin', to: 'owner', amount: cyx(1000), reason: 'seed' };
const register = (stake: bigint, nodeId = 'n1'): Draft => ({ kind: 'register_node', nodeId, owner: 'owner', stake });
const result = (success: boolean, durationMs = 1000): Draft => ({ kind: 'record_result', nodeId: 'n1', success, durationMs });
const T = 1_700_000_000_000;

describe('node registry: register', () => {
  it('moves the stake into the stake vault', () => {
    const state = ledgerWith(seed, register(cyx(100)));
    expect(balanceOf(state, STAKE_VAULT)).toBe(cyx(100));
    expect(walletOf(state, 'owner')).toMatchObject({ available: cyx(900), staked: cyx(100), unstaking: [] });
  });

  it('refuses a stake of 100 CYX less 1 µCYX with STAKE_TOO_LOW', () => {
    const state = ledgerWith(seed);
    expect(apply(state, register(MIN_STAKE - 1n))).toEqual({
      ok: false,
      code: 'STAKE_TOO_LOW',
      message: 'A node needs a stake of at least 100 CYX; 99.999999 CYX was offered',
    });
    expect(state.nodes.size).toBe(0);
  });

  it('refuses a stake the owner lacks and a node id already taken', () => {
    const state = ledgerWith(seed, register(cyx(600)));
    expect(apply(state, register(cyx(500), 'n2'))).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS' });
    expect(apply(state, register(cyx(100)))).toMatchObject({ ok: false, code: 'NODE_EXISTS' });
  });
});

describe('node registry: results', () => {
  it('counts jobs, successes and time, and resets the failure streak on success', () => {
    const state = ledgerWith(seed, register(cyx(100)), result(true, 2000), result(false, 500), result(false, 500));
    const node = state.nodes.get('n1');
    expect(node).toMatchObject({ jobs: 3, successes: 1, consecutiveFailures: 2, totalDurationMs: 3000 });
    eventsOf(apply(state, result(true, 1000)));
    expect(state.nodes.get('n1')).toMatchObject({ jobs: 4, successes: 2, consecutiveFailures: 0 });
    expect(apply(state, { kind: 'record_result', nodeId: 'ghost', success: true, durationMs: 1 })).toMatchObject({ ok: false, code: 'NODE_NOT_FOUND' });
  });

  it('validates the duration', () => {
    const state = ledgerWith(seed, register(cyx(100)));
    expect(apply(state, result(true, -1))).toMatchObject({ ok: false, code: 'BAD_INSTRUCTION' });
    expect(apply(state, result(true, 1.5))).toMatchObject({ ok: false, code: 'BAD_INSTRUCTION' });
  });
});

describe('node registry: slash', () => {
  it('takes 10% for a timeout and 25% for an invalid result, of the stake at the time', () => {
    const state = ledgerWith(seed, register(cyx(200)));
    expect(eventsOf(apply(state, { kind: 'slash', nodeId: 'n1', reason: 'timeout' })).at(-1)).toMatchObject({ type: 'node_slashed', amount: cyx(20), percent: 10, banned: false });
    expect(eventsOf(apply(state, { kind: 'slash', nodeId: 'n1', reason: 'invalid_result' })).at(-1)).toMatchObject({ amount: cyx(45), percent: 25 });
    expect(state.nodes.get('n1')).toMatchObject({ stake: cyx(135), slashed: cyx(65), status: 'active' });
    expect(balanceOf(state, PENALTIES)).toBe(cyx(65));
    expect(balanceOf(state, STAKE_VAULT)).toBe(cyx(135));
  });

  it(`bans with 100% only after ${REPEATED_FAILURES} failures in a row`, () => {
    const state = ledgerWith(seed, register(cyx(150)), result(false), result(false));
    expect(apply(state, { kind: 'slash', nodeId: 'n1', reason: 'repeated_failures' })).toEqual({
      ok: false,
      code: 'FAILURES_BELOW_THRESHOLD',
      message: 'Node n1 has 2 failed results in a row; a ban for repeated failures needs 3',
    });
    eventsOf(apply(state, result(false)));
    expect(eventsOf(apply(state, { kind: 'slash', nodeId: 'n1', reason: 'repeated_failures' })).at(-1)).toMatchObject({ amount: cyx(150), percent: 100, banned: true });
    expect(state.nodes.get('n1')).toMatchObject({ stake: 0n, status: 'banned' });
    expect(balanceOf(state, STAKE_VAULT)).toBe(0n);
    for (const draft of [result(true), { kind: 'slash', nodeId: 'n1', reason: 'timeout' }, { kind: 'request_unstake', nodeId: 'n1' }, { kind: 'withdraw_stake', nodeId: 'n1' }] as Draft[]) {
      expect(apply(state, draft)).toMatchObject({ ok: false, code: 'NODE_BANNED' });
    }
  });

  it('refuses a slash that would take nothing once repeated slashes wear the stake down', () => {
    const state = ledgerWith(seed, register(cyx(100)));
    let slashes = 0;
    let outcome = apply(state, { kind: 'slash', nodeId: 'n1', reason: 'invalid_result' });
    while (outcome.ok && slashes < 200) {
      slashes += 1;
      outcome = apply(state, { kind: 'slash', nodeId: 'n1', reason: 'invalid_result' });
    }
    expect(outcome).toMatchObject({ ok: false, code: 'NOTHING_TO_SLASH' });
    expect(state.nodes.get('n1')!.stake).toBeLessThan(4n); // 25% of 3 µCYX rounds to 0
    expect(checkInvariants(state).filter((check) => !check.ok)).toEqual([]);
  });
});

describe('node registry: unstake', () => {
  it(`locks the stake for exactly ${UNSTAKE_LOCKUP_MS} ms from the request`, () => {
    const state = ledgerWith(seed, register(cyx(100)), { kind: 'request_unstake', nodeId: 'n1', at: T });
    expect(walletOf(state, 'owner')).toMatchObject({ staked: 0n, unstaking: [{ nodeId: 'n1', amount: cyx(100), availableAt: T + UNSTAKE_LOCKUP_MS }] });
    const early = apply(state, { kind: 'withdraw_stake', nodeId: 'n1', at: T + UNSTAKE_LOCKUP_MS - 1 });
    expect(early).toMatchObject({ ok: false, code: 'LOCKUP_NOT_OVER' });
    expect(!early.ok && early.message).toContain(new Date(T + UNSTAKE_LOCKUP_MS).toISOString());
    const events = eventsOf(apply(state, { kind: 'withdraw_stake', nodeId: 'n1', at: T + UNSTAKE_LOCKUP_MS }));
    expect(events.at(-1)).toEqual({ type: 'stake_withdrawn', nodeId: 'n1', owner: 'owner', amount: cyx(100) });
    expect(balanceOf(state, userAccount('owner'))).toBe(cyx(1000));
    expect(state.nodes.get('n1')).toMatchObject({ stake: 0n, status: 'withdrawn' });
    expect(walletOf(state, 'owner')).toMatchObject({ staked: 0n, unstaking: [] });
    expect(apply(state, result(true))).toMatchObject({ ok: false, code: 'NODE_WITHDRAWN' });
  });

  it('refuses a second request, a withdrawal without one, and still lets a slash land during the lockup', () => {
    const state = ledgerWith(seed, register(cyx(100)));
    expect(apply(state, { kind: 'withdraw_stake', nodeId: 'n1' })).toMatchObject({ ok: false, code: 'NO_UNSTAKE_REQUESTED' });
    eventsOf(apply(state, { kind: 'request_unstake', nodeId: 'n1', at: T }));
    expect(apply(state, { kind: 'request_unstake', nodeId: 'n1', at: T + 5 })).toMatchObject({ ok: false, code: 'UNSTAKE_PENDING' });
    eventsOf(apply(state, { kind: 'slash', nodeId: 'n1', reason: 'timeout' }));
    expect(walletOf(state, 'owner').unstaking[0]?.amount).toBe(cyx(90));
    eventsOf(apply(state, { kind: 'withdraw_stake', nodeId: 'n1', at: T + UNSTAKE_LOCKUP_MS }));
    expect(balanceOf(state, userAccount('owner'))).toBe(cyx(990));
    expect(checkInvariants(state).filter((check) => !check.ok)).toEqual([]);
  });

  it('a withdrawn node can register again under the same owner, keeping its record', () => {
    const state = ledgerWith(seed, register(cyx(100)), result(true), { kind: 'request_unstake', nodeId: 'n1', at: T }, { kind: 'withdraw_stake', nodeId: 'n1', at: T + UNSTAKE_LOCKUP_MS });
    eventsOf(apply(state, register(cyx(120))));
    expect(state.nodes.get('n1')).toMatchObject({ status: 'active', stake: cyx(120), jobs: 1, successes: 1 });
    expect(apply(state, { kind: 'register_node', nodeId: 'n1', owner: 'someone-else', stake: cyx(100) })).toMatchObject({ ok: false, code: 'NODE_EXISTS' });
  });
});
