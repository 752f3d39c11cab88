import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PENALTIES, STAKE_VAULT, userAccount } from './accounts';
import { applyInstruction } from './apply';
import { decodeInstruction, encodeInstruction, type Instruction } from './instructions';
import { checkInvariants } from './invariants';
import { ADMIN_BAN_PERCENT, MIN_STAKE } from './rules';
import { balanceOf } from './state';
import { type Draft, apply, eventsOf, ledgerWith } from './testing/ledger-fixtures';
import { instructionSequence } from './testing/instruction-arbitrary';
import { cyx } from './units';

const seed: Draft = { kind: 'mint', by: 'admin', to: 'owner', amount: cyx(1000), reason: 'seed' };
const register = (stake: bigint): Draft => ({ kind: 'register_node', nodeId: 'n1', owner: 'owner', stake });
const ban = (reason = 'sold fake results'): Draft => ({ kind: 'ban_node', nodeId: 'n1', by: 'admin-1', reason });
const unban = (reason = 'appeal upheld'): Draft => ({ kind: 'unban_node', nodeId: 'n1', by: 'admin-1', reason });

describe('node registry: an administrator bans and unbans', () => {
  it(`takes ${ADMIN_BAN_PERCENT}% of the stake to penalties without any failures, and the node works no more`, () => {
    const state = ledgerWith(seed, register(cyx(150)));
    const events = eventsOf(apply(state, ban()));
    const taken = (cyx(150) * BigInt(ADMIN_BAN_PERCENT)) / 100n;
    expect(events.at(-1)).toEqual({ type: 'node_slashed', nodeId: 'n1', owner: 'owner', by: 'admin-1', reason: 'admin_ban', memo: 'sold fake results', percent: ADMIN_BAN_PERCENT, amount: taken, banned: true });
    expect(balanceOf(state, PENALTIES)).toBe(taken);
    expect(balanceOf(state, STAKE_VAULT)).toBe(cyx(150) - taken);
    expect(state.nodes.get('n1')).toMatchObject({ status: 'banned', slashed: taken, stake: cyx(150) - taken });
    expect(apply(state, { kind: 'record_result', nodeId: 'n1', success: true, durationMs: 5 })).toMatchObject({ ok: false, code: 'NODE_BANNED' });
    expect(apply(state, ban())).toMatchObject({ ok: false, code: 'NODE_BANNED' });
    expect(checkInvariants(state).filter((i) => !i.ok)).toEqual([]);
  });

  it('bans during the unstake lockup (the lockup ends) and refuses an unknown node', () => {
    const state = ledgerWith(seed, register(MIN_STAKE), { kind: 'request_unstake', nodeId: 'n1' });
    eventsOf(apply(state, ban()));
    expect(state.nodes.get('n1')).toMatchObject({ status: 'banned', unstakeAvailableAt: null });
    expect(apply(state, { ...ban(), nodeId: 'nope' } as Draft)).toMatchObject({ ok: false, code: 'NODE_NOT_FOUND' });
  });

  it('unban brings the node back withdrawn with its record; the owner registers it again with a new stake', () => {
    const state = ledgerWith(seed, register(MIN_STAKE), { kind: 'record_result', nodeId: 'n1', success: false, durationMs: 7 }, ban());
    expect(apply(state, { kind: 'unban_node', nodeId: 'n1', by: 'admin-1', reason: '' } as Draft)).toMatchObject({ ok: false, code: 'BAD_INSTRUCTION' });
    const events = eventsOf(apply(state, unban()));
    expect(events.at(-1)).toMatchObject({ type: 'node_unbanned', nodeId: 'n1', by: 'admin-1', memo: 'appeal upheld' });
    expect(state.nodes.get('n1')).toMatchObject({ status: 'withdrawn', stake: 0n, jobs: 1, consecutiveFailures: 0 });
    expect(apply(state, unban())).toMatchObject({ ok: false, code: 'NODE_NOT_BANNED' });
    eventsOf(apply(state, register(MIN_STAKE)));
    expect(state.nodes.get('n1')).toMatchObject({ status: 'active', stake: MIN_STAKE, jobs: 1 });
    expect(balanceOf(state, userAccount('owner'))).toBe(cyx(1000) - 2n * MIN_STAKE);
    expect(checkInvariants(state).filter((i) => !i.ok)).toEqual([]);
  });

  it('ban and unban travel through the log codec unchanged, and bad fields are refused', () => {
    const i: Instruction = { kind: 'ban_node', key: 'k', at: 1, nodeId: 'n1', by: 'a', reason: 'why' };
    expect(decodeInstruction(JSON.parse(JSON.stringify(encodeInstruction(i))))).toEqual(i);
    expect(() => decodeInstruction({ kind: 'unban_node', key: 'k', at: 1, nodeId: 'n1', by: '', reason: 'x' })).toThrow(/administrator \(by\)/);
    expect(() => decodeInstruction({ kind: 'ban_node', key: 'k', at: 1, nodeId: 'n1', by: 'a', reason: 'x'.repeat(501) })).toThrow(/at most 500/);
  });

  it('property: among random instructions, bans and unbans keep every invariant, a fresh ban takes its share, and a banned node records nothing', () => {
    fc.assert(
      fc.property(instructionSequence(60), (sequence) => {
        const state = ledgerWith();
        for (const instruction of sequence) {
          const node = 'nodeId' in instruction ? state.nodes.get(instruction.nodeId) : undefined;
          const before = node ? { status: node.status, stake: node.stake } : null;
          const fresh = !state.applied.has(instruction.key);
          const outcome = applyInstruction(state, instruction);
          if (fresh && before?.status === 'banned' && (instruction.kind === 'record_result' || instruction.kind === 'ban_node' || instruction.kind === 'slash')) expect(outcome.ok).toBe(false);
          if (fresh && outcome.ok && instruction.kind === 'ban_node') {
            expect(state.nodes.get(instruction.nodeId)).toMatchObject({ status: 'banned', stake: before!.stake - (before!.stake * BigInt(ADMIN_BAN_PERCENT)) / 100n });
          }
          if (fresh && outcome.ok && instruction.kind === 'unban_node') expect(state.nodes.get(instruction.nodeId)).toMatchObject({ status: 'withdrawn', stake: 0n });
          const broken = checkInvariants(state).filter((r) => !r.ok);
          if (broken.length) throw new Error(`${instruction.kind}: ${JSON.stringify(broken)}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
