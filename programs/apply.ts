import { type Instruction } from './instructions';
import { type Outcome, fail } from './outcome';
import { type LedgerState } from './state';

/**
 * Applies one instruction IN PLACE and answers its outcome. All-or-nothing: on an error nothing in
 * `state` changes. A key that succeeded before with the same content returns the first outcome.
 */
export function applyInstruction(_state: LedgerState, _instruction: Instruction): Outcome {
  return fail('BAD_INSTRUCTION', 'not implemented yet');
}
