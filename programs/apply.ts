import { instructionDigest } from './digest';
import { close, createEscrow, refund, release } from './escrow';
import { type Instruction } from './instructions';
import { banNode, registerNode, recordResult, requestUnstake, slash, unbanNode, withdrawStake } from './node-registry';
import { type LedgerEvent, type Outcome, fail } from './outcome';
import { type LedgerState } from './state';
import { mint, transfer } from './token';
import { instructionProblem } from './validate-instruction';

function dispatch(state: LedgerState, i: Instruction): Outcome {
  switch (i.kind) {
    case 'mint':
      return mint(state, i);
    case 'transfer':
      return transfer(state, i);
    case 'create_escrow':
      return createEscrow(state, i);
    case 'release':
      return release(state, i);
    case 'refund':
      return refund(state, i);
    case 'close':
      return close(state, i);
    case 'register_node':
      return registerNode(state, i);
    case 'record_result':
      return recordResult(state, i);
    case 'slash':
      return slash(state, i);
    case 'request_unstake':
      return requestUnstake(state, i);
    case 'withdraw_stake':
      return withdrawStake(state, i);
    case 'ban_node':
      return banNode(state, i);
    case 'unban_node':
      return unbanNode(state, i);
  }
}

function freeze(outcome: Outcome): Outcome {
  if (outcome.ok) for (const event of outcome.events) Object.freeze(event as LedgerEvent);
  if (outcome.ok) Object.freeze(outcome.events);
  return Object.freeze(outcome);
}

/**
 * Applies one instruction IN PLACE (for speed at 100k entries) and answers its outcome. All-or-nothing:
 * every program checks before it changes anything, so on an error `state` is untouched. Failures are
 * not recorded (a retry is judged afresh); a key that succeeded before with the same content answers
 * the first outcome and changes nothing; the same key with different content is IDEMPOTENCY_CONFLICT.
 * Outcomes are frozen: the stored one is handed out again on every repeat.
 */
export function applyInstruction(state: LedgerState, instruction: Instruction): Outcome {
  const problem = instructionProblem(instruction);
  if (problem) return problem;
  const digest = instructionDigest(instruction);
  const previous = state.applied.get(instruction.key);
  if (previous) {
    if (previous.digest === digest) return previous.outcome;
    return fail('IDEMPOTENCY_CONFLICT', `The idempotency key ${instruction.key} was already used for a different instruction`);
  }
  const outcome = dispatch(state, instruction);
  if (!outcome.ok) return outcome;
  const stored = freeze(outcome);
  state.applied.set(instruction.key, { digest, outcome: stored });
  return stored;
}
