import { describe, expect, it } from 'vitest';
import { applyInstruction } from './apply';
import { type Instruction } from './instructions';
import { encodeState } from './snapshot';
import { emptyLedger } from './state';
import { cyx } from './units';

const mint: Instruction = { kind: 'mint', key: 'm1', at: 1, by: 'admin', to: 'alice', amount: cyx(5), reason: 'seed' };
const pay: Instruction = { kind: 'transfer', key: 'pay-1', at: 2, from: 'alice', to: 'bob', amount: cyx(2) };

describe('idempotency keys', () => {
  it('a repeated key answers the first outcome and changes nothing', () => {
    const state = emptyLedger();
    applyInstruction(state, mint);
    const first = applyInstruction(state, pay);
    const before = encodeState(state);
    const again = applyInstruction(state, { ...pay, at: 99 });
    expect(again).toBe(first);
    expect(encodeState(state)).toBe(before);
  });

  it('the same key with different content is IDEMPOTENCY_CONFLICT and changes nothing', () => {
    const state = emptyLedger();
    applyInstruction(state, mint);
    applyInstruction(state, pay);
    const before = encodeState(state);
    expect(applyInstruction(state, { ...pay, amount: cyx(1) })).toEqual({
      ok: false,
      code: 'IDEMPOTENCY_CONFLICT',
      message: 'The idempotency key pay-1 was already used for a different instruction',
    });
    expect(applyInstruction(state, { kind: 'refund', key: 'pay-1', at: 3, escrowId: 'job' })).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(encodeState(state)).toBe(before);
  });

  it('a failure is not remembered: the same key is judged afresh once it can succeed', () => {
    const state = emptyLedger();
    expect(applyInstruction(state, pay)).toMatchObject({ ok: false, code: 'INSUFFICIENT_FUNDS' });
    expect(state.applied.has('pay-1')).toBe(false);
    applyInstruction(state, mint);
    expect(applyInstruction(state, pay)).toMatchObject({ ok: true });
  });

  it('outcomes are frozen so the stored one cannot be altered through a caller', () => {
    const state = emptyLedger();
    const outcome = applyInstruction(state, mint);
    expect(Object.isFrozen(outcome)).toBe(true);
    expect(outcome.ok && Object.isFrozen(outcome.events[0])).toBe(true);
  });

  it('validates ids, keys and times before anything else', () => {
    const state = emptyLedger();
    expect(applyInstruction(state, { ...mint, key: '' })).toMatchObject({ code: 'BAD_INSTRUCTION', message: 'A mint instruction needs a non-empty idempotency key' });
    expect(applyInstruction(state, { ...mint, key: 'k'.repeat(201) })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...mint, key: 'k'.repeat(200) })).toMatchObject({ ok: true });
    expect(applyInstruction(state, { ...mint, key: 'x', at: -1 })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...mint, key: 'x', at: 1.5 })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...mint, key: 'x', to: '' })).toMatchObject({ code: 'BAD_INSTRUCTION', message: 'A mint instruction needs a non-empty recipient (to)' });
    expect(applyInstruction(state, { ...mint, key: 'x', amount: 0n })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...mint, key: 'x', amount: -5n })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...mint, key: 'x', amount: 2n ** 63n })).toMatchObject({ code: 'AMOUNT_OVERFLOW' });
    expect(applyInstruction(state, { ...mint, key: 'x', amount: 5 as unknown as bigint })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { ...pay, key: 'y', memo: 'm'.repeat(501) })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { kind: 'slash', key: 'z', at: 1, nodeId: 'n', reason: 'rude' as 'timeout' })).toMatchObject({ code: 'BAD_INSTRUCTION' });
    expect(applyInstruction(state, { kind: 'burn', key: 'z', at: 1 } as unknown as Instruction)).toMatchObject({ code: 'BAD_INSTRUCTION' });
  });
});
