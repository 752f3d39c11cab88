import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PENALTIES, PLATFORM_FEES } from './accounts';
import { applyInstruction } from './apply';
import { type Instruction } from './instructions';
import { checkInvariants } from './invariants';
import { cloneLedger, decodeState, encodeState } from './snapshot';
import { type LedgerState, balanceOf, emptyLedger } from './state';
import { instructionSequence, participants } from './testing/instruction-arbitrary';
import { supplyOf, walletOf } from './views';

// Property tests over random instruction sequences (fast-check shrinks any failure to a short one).

const failedInvariants = (state: LedgerState) => checkInvariants(state).filter((check) => !check.ok);

/** Applies the sequence, checking after every step; answers the successes in order. */
function runChecked(instructions: Instruction[]): { state: LedgerState; successes: Instruction[] } {
  const state = emptyLedger();
  const successes: Instruction[] = [];
  for (const instruction of instructions) {
    const before = encodeState(state);
    const outcome = applyInstruction(state, instruction);
    const after = encodeState(state);
    if (!outcome.ok) {
      // All-or-nothing: a refused instruction leaves no trace.
      expect(after).toBe(before);
    } else {
      if (after !== before) successes.push(instruction);
      else expect(state.applied.get(instruction.key)?.outcome).toBe(outcome); // a replayed key
    }
    // Applied twice equals applied once: same outcome, same bytes.
    const again = applyInstruction(state, instruction);
    expect(again).toEqual(outcome);
    expect(encodeState(state)).toBe(after);
    expect(failedInvariants(state)).toEqual([]);
  }
  return { state, successes };
}

describe('ledger properties', () => {
  it('conserves money and keeps every invariant after every instruction, retried or not', () => {
    fc.assert(
      fc.property(instructionSequence(60), (instructions) => {
        const { state } = runChecked(instructions);
        const { minted, held } = supplyOf(state);
        expect(held).toBe(minted);
        for (const amount of state.balances.values()) expect(amount > 0n).toBe(true);
        for (const escrow of state.escrows.values()) expect(escrow.released + escrow.refunded <= escrow.deposit).toBe(true);
        // Every µCYX is somewhere a wallet or a system account can account for.
        let accounted = balanceOf(state, PLATFORM_FEES) + balanceOf(state, PENALTIES);
        for (const user of participants.users) {
          const wallet = walletOf(state, user);
          accounted += wallet.available + wallet.inEscrow + wallet.staked + wallet.unstaking.reduce((sum, u) => sum + u.amount, 0n);
        }
        expect(accounted).toBe(minted);
      }),
      { numRuns: 1500 },
    );
  });

  it('replaying only the successful instructions on a fresh ledger gives byte-identical state', () => {
    fc.assert(
      fc.property(instructionSequence(60), (instructions) => {
        const { state, successes } = runChecked(instructions);
        const replayed = emptyLedger();
        for (const instruction of successes) expect(applyInstruction(replayed, instruction).ok).toBe(true);
        expect(encodeState(replayed)).toBe(encodeState(state));
      }),
      { numRuns: 700 },
    );
  });

  it('encode -> decode -> encode is the identity, and a clone encodes the same and is independent', () => {
    fc.assert(
      fc.property(instructionSequence(60), instructionSequence(10), (instructions, more) => {
        const { state } = runChecked(instructions);
        const text = encodeState(state);
        const decoded = decodeState(text);
        expect(encodeState(decoded)).toBe(text);
        expect(encodeState(cloneLedger(state))).toBe(text);
        // The decoded state behaves exactly like the original (derived indexes included).
        const clone = cloneLedger(state);
        for (const instruction of more) {
          expect(applyInstruction(decoded, instruction)).toEqual(applyInstruction(state, instruction));
          for (const user of participants.users) expect(walletOf(decoded, user)).toEqual(walletOf(state, user));
        }
        expect(encodeState(decoded)).toBe(encodeState(state));
        expect(encodeState(clone)).toBe(text);
      }),
      { numRuns: 700 },
    );
  });
});
