import { applyInstruction } from '../apply';
import { type Instruction } from '../instructions';
import { type LedgerEvent, type Outcome } from '../outcome';
import { type LedgerState, emptyLedger } from '../state';

// Small builders for the example tests: each instruction gets a fresh key unless one is given.

let counter = 0;
type Without<T> = T extends unknown ? Omit<T, 'key' | 'at'> & { key?: string; at?: number } : never;
export type Draft = Without<Instruction>;

export function instruction(draft: Draft): Instruction {
  counter += 1;
  return { key: `k${counter}`, at: 1_000, ...draft } as Instruction;
}

/** Applies each draft in order and fails loudly if one does not succeed. */
export function ledgerWith(...drafts: Draft[]): LedgerState {
  const state = emptyLedger();
  for (const draft of drafts) {
    const outcome = applyInstruction(state, instruction(draft));
    if (!outcome.ok) throw new Error(`setup instruction ${draft.kind} failed: ${outcome.code} ${outcome.message}`);
  }
  return state;
}

export function apply(state: LedgerState, draft: Draft): Outcome {
  return applyInstruction(state, instruction(draft));
}

export function eventsOf(outcome: Outcome): LedgerEvent[] {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.code}: ${outcome.message}`);
  return outcome.events;
}
