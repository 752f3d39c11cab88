import { ESCROW_VAULT, PENALTIES, PLATFORM_FEES, STAKE_VAULT, userAccount } from './accounts';
import { type LedgerEvent, type Outcome } from './outcome';
import { type LedgerState } from './state';
import { formatCyx } from './units';

// Every successful instruction ends with one summary event (minted, escrow_released, …). The balance
// changes it implies are derived from that event here, and only here: the programs apply them through
// settle(), and a decoded snapshot re-derives them, so a snapshot stores the summary alone and the two
// can never disagree. Callers check funds first, so settling never fails midway (all-or-nothing).

function pair(events: LedgerEvent[], from: LedgerEvent['account'] | null, to: NonNullable<LedgerEvent['account']>, amount: bigint | undefined): void {
  if (!amount) return;
  if (from) events.push({ type: 'debited', account: from, amount });
  events.push({ type: 'credited', account: to, amount });
}

/** The credited/debited events a summary event implies, in the order they are reported. */
export function balanceEventsOf(summary: LedgerEvent): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  switch (summary.type) {
    case 'minted':
      pair(events, null, userAccount(summary.to!), summary.amount);
      break;
    case 'transferred':
      pair(events, userAccount(summary.from!), userAccount(summary.to!), summary.amount);
      break;
    case 'escrow_created':
      pair(events, userAccount(summary.payer!), ESCROW_VAULT, summary.amount);
      break;
    case 'escrow_released':
      if (summary.amount) events.push({ type: 'debited', account: ESCROW_VAULT, amount: summary.amount });
      pair(events, null, userAccount(summary.provider!), summary.toProvider);
      pair(events, null, PLATFORM_FEES, summary.fee);
      break;
    case 'escrow_refunded':
      pair(events, ESCROW_VAULT, userAccount(summary.payer!), summary.amount);
      break;
    case 'node_registered':
      pair(events, userAccount(summary.owner!), STAKE_VAULT, summary.amount);
      break;
    case 'node_slashed':
      pair(events, STAKE_VAULT, PENALTIES, summary.amount);
      break;
    case 'stake_withdrawn':
    case 'node_unbanned':
      pair(events, STAKE_VAULT, userAccount(summary.owner!), summary.amount);
      break;
    default:
      break;
  }
  return events;
}

/** Applies the summary's balance changes (zero balances are deleted: one canonical form) and answers the outcome. */
export function settle(state: LedgerState, summary: LedgerEvent): Outcome {
  const events = balanceEventsOf(summary);
  for (const event of events) {
    const account = event.account!;
    const amount = event.amount!;
    const next = (state.balances.get(account) ?? 0n) + (event.type === 'credited' ? amount : -amount);
    if (next === 0n) state.balances.delete(account);
    else state.balances.set(account, next);
  }
  events.push(summary);
  return { ok: true, events };
}

export function shortfallMessage(balance: bigint, needed: bigint, what: string): string {
  return `Balance ${formatCyx(balance)} is less than the ${formatCyx(needed)} ${what} needs`;
}
