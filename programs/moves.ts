import { type AccountId } from './accounts';
import { type LedgerEvent } from './outcome';
import { type LedgerState } from './state';
import { formatCyx } from './units';

// The only code that changes balances. Callers check funds first, so these never fail midway and
// an instruction stays all-or-nothing. Zero balances are deleted so the state has one canonical form.

export function credit(state: LedgerState, account: AccountId, amount: bigint, events: LedgerEvent[]): void {
  if (amount === 0n) return;
  state.balances.set(account, (state.balances.get(account) ?? 0n) + amount);
  events.push({ type: 'credited', account, amount });
}

export function debit(state: LedgerState, account: AccountId, amount: bigint, events: LedgerEvent[]): void {
  if (amount === 0n) return;
  const next = (state.balances.get(account) ?? 0n) - amount;
  if (next === 0n) state.balances.delete(account);
  else state.balances.set(account, next);
  events.push({ type: 'debited', account, amount });
}

export function move(state: LedgerState, from: AccountId, to: AccountId, amount: bigint, events: LedgerEvent[]): void {
  debit(state, from, amount, events);
  credit(state, to, amount, events);
}

export function shortfallMessage(balance: bigint, needed: bigint, what: string): string {
  return `Balance ${formatCyx(balance)} is less than the ${formatCyx(needed)} ${what} needs`;
}
