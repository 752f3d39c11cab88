import { userAccount } from './accounts';
import { type Instruction } from './instructions';
import { settle, shortfallMessage } from './moves';
import { type LedgerEvent, type Outcome, fail } from './outcome';
import { MAX_AMOUNT } from './rules';
import { type LedgerState } from './state';
import { formatCyx } from './units';

// The token program: mint is the only way money comes into existence, transfer moves it between users.

export function mint(state: LedgerState, i: Extract<Instruction, { kind: 'mint' }>): Outcome {
  if (state.minted + i.amount > MAX_AMOUNT) {
    return fail('AMOUNT_OVERFLOW', `Minting ${formatCyx(i.amount)} would take the supply past the ledger's limit of ${formatCyx(MAX_AMOUNT)}`);
  }
  state.minted += i.amount;
  return settle(state, { type: 'minted', to: i.to, amount: i.amount, by: i.by, reason: i.reason });
}

export function transfer(state: LedgerState, i: Extract<Instruction, { kind: 'transfer' }>): Outcome {
  if (i.from === i.to) return fail('SAME_ACCOUNT', 'A transfer needs two different accounts; sender and recipient are the same');
  const from = userAccount(i.from);
  const balance = state.balances.get(from) ?? 0n;
  if (balance < i.amount) return fail('INSUFFICIENT_FUNDS', shortfallMessage(balance, i.amount, 'this transfer'));
  const transferred: LedgerEvent = { type: 'transferred', from: i.from, to: i.to, amount: i.amount };
  if (i.memo !== undefined) transferred.memo = i.memo;
  return settle(state, transferred);
}
