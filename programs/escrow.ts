import { userAccount } from './accounts';
import { type Instruction } from './instructions';
import { settle, shortfallMessage } from './moves';
import { type Failure, type Outcome, fail } from './outcome';
import { FEE_DIVISOR } from './rules';
import { type EscrowRecord, type LedgerState } from './state';
import { formatCyx } from './units';

// The escrow program, one escrow per job: the payer's quoted amount waits in system:escrow-vault and
// leaves it only as releases (fee to the platform, the rest to the provider) or one refund.

type Of<K extends Instruction['kind']> = Extract<Instruction, { kind: K }>;

export function remainingOf(escrow: EscrowRecord): bigint {
  return escrow.deposit - escrow.released - escrow.refunded;
}

/** floor(amount / 10) to the platform; the provider gets the rest, so rounding never strands a µCYX. */
export function releaseFee(amount: bigint): bigint {
  return amount / FEE_DIVISOR;
}

const CLOSED_MESSAGE = {
  release: 'nothing more can be released from it',
  refund: 'nothing can be refunded from it',
  close: 'it was closed before',
} as const;

function openEscrow(state: LedgerState, escrowId: string, action: keyof typeof CLOSED_MESSAGE): EscrowRecord | Failure {
  const escrow = state.escrows.get(escrowId);
  if (!escrow) return fail('ESCROW_NOT_FOUND', `There is no escrow ${escrowId} to ${action}`);
  if (escrow.status === 'closed') return fail('ESCROW_CLOSED', `Escrow ${escrowId} is closed; ${CLOSED_MESSAGE[action]}`);
  return escrow;
}

export function createEscrow(state: LedgerState, i: Of<'create_escrow'>): Outcome {
  if (state.escrows.has(i.escrowId)) return fail('ESCROW_EXISTS', `Escrow ${i.escrowId} already exists; each job has one escrow`);
  const payer = userAccount(i.payer);
  const balance = state.balances.get(payer) ?? 0n;
  if (balance < i.amount) return fail('INSUFFICIENT_FUNDS', shortfallMessage(balance, i.amount, 'this escrow'));
  state.escrows.set(i.escrowId, {
    escrowId: i.escrowId,
    payer: i.payer,
    deposit: i.amount,
    released: 0n,
    refunded: 0n,
    fees: 0n,
    status: 'open',
    createdAt: i.at,
    closedAt: null,
  });
  indexEscrow(state, i.payer, i.escrowId);
  return settle(state, { type: 'escrow_created', escrowId: i.escrowId, payer: i.payer, amount: i.amount });
}

export function release(state: LedgerState, i: Of<'release'>): Outcome {
  const escrow = openEscrow(state, i.escrowId, 'release');
  if ('ok' in escrow) return escrow;
  const remaining = remainingOf(escrow);
  if (i.amount > remaining) {
    return fail('RELEASE_EXCEEDS_ESCROW', `Escrow ${i.escrowId} has ${formatCyx(remaining)} left, less than the ${formatCyx(i.amount)} this release asks for`);
  }
  const fee = releaseFee(i.amount);
  const toProvider = i.amount - fee;
  escrow.released += i.amount;
  escrow.fees += fee;
  return settle(state, {
    type: 'escrow_released',
    escrowId: i.escrowId,
    payer: escrow.payer,
    provider: i.provider,
    amount: i.amount,
    fee,
    toProvider,
    reason: i.reason,
    remaining: remainingOf(escrow),
  });
}

export function refund(state: LedgerState, i: Of<'refund'>): Outcome {
  const escrow = openEscrow(state, i.escrowId, 'refund');
  if ('ok' in escrow) return escrow;
  const remaining = remainingOf(escrow);
  if (remaining === 0n) return fail('NOTHING_TO_REFUND', `Escrow ${i.escrowId} has nothing left to refund; it can be closed`);
  escrow.refunded += remaining;
  return settle(state, { type: 'escrow_refunded', escrowId: i.escrowId, payer: escrow.payer, amount: remaining, remaining: 0n });
}

export function close(state: LedgerState, i: Of<'close'>): Outcome {
  const escrow = openEscrow(state, i.escrowId, 'close');
  if ('ok' in escrow) return escrow;
  const remaining = remainingOf(escrow);
  if (remaining > 0n) {
    return fail('ESCROW_NOT_SETTLED', `Escrow ${i.escrowId} still holds ${formatCyx(remaining)}; release or refund it before closing`);
  }
  escrow.status = 'closed';
  escrow.closedAt = i.at;
  unindexEscrow(state, escrow.payer, i.escrowId);
  return settle(state, { type: 'escrow_closed', escrowId: i.escrowId, payer: escrow.payer });
}

/** Open escrows by payer, so a wallet's "in escrow" figure never scans every escrow. */
export function indexEscrow(state: LedgerState, payer: string, escrowId: string): void {
  let ids = state.escrowsByPayer.get(payer);
  if (!ids) state.escrowsByPayer.set(payer, (ids = new Set()));
  ids.add(escrowId);
}

function unindexEscrow(state: LedgerState, payer: string, escrowId: string): void {
  const ids = state.escrowsByPayer.get(payer);
  ids?.delete(escrowId);
  if (ids?.size === 0) state.escrowsByPayer.delete(payer);
}
