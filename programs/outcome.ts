import { type AccountId } from './accounts';

/** Stable codes: callers (the executor, tRPC, the UI) branch on these, so never rename one. */
export type LedgerErrorCode =
  | 'INSUFFICIENT_FUNDS'
  | 'SAME_ACCOUNT'
  | 'ESCROW_NOT_FOUND'
  | 'ESCROW_EXISTS'
  | 'ESCROW_CLOSED'
  | 'RELEASE_EXCEEDS_ESCROW'
  | 'NOTHING_TO_REFUND'
  | 'ESCROW_NOT_SETTLED'
  | 'NODE_NOT_FOUND'
  | 'NODE_EXISTS'
  | 'NODE_BANNED'
  | 'NODE_WITHDRAWN'
  | 'NODE_NOT_BANNED'
  | 'STAKE_TOO_LOW'
  | 'NOTHING_TO_SLASH'
  | 'FAILURES_BELOW_THRESHOLD'
  | 'UNSTAKE_PENDING'
  | 'NO_UNSTAKE_REQUESTED'
  | 'LOCKUP_NOT_OVER'
  | 'IDEMPOTENCY_CONFLICT'
  | 'BAD_INSTRUCTION'
  | 'AMOUNT_OVERFLOW'
  | 'BAD_SNAPSHOT';

export type LedgerEventType =
  | 'credited'
  | 'debited'
  | 'minted'
  | 'transferred'
  | 'escrow_created'
  | 'escrow_released'
  | 'escrow_refunded'
  | 'escrow_closed'
  | 'node_registered'
  | 'result_recorded'
  | 'node_slashed'
  | 'unstake_requested'
  | 'stake_withdrawn'
  | 'node_unbanned';

/**
 * One flat shape for every event (fields present by type) so history code can read `account` and
 * `amount` without narrowing. credited/debited name the account and amount of every balance change;
 * the others describe what happened in the program's terms.
 */
export interface LedgerEvent {
  type: LedgerEventType;
  account?: AccountId;
  amount?: bigint;
  /** escrow_released: what the platform kept and what the provider received (amount = fee + toProvider). */
  fee?: bigint;
  toProvider?: bigint;
  /** Left in the escrow after a release or refund. */
  remaining?: bigint;
  escrowId?: string;
  nodeId?: string;
  /** User ids, never account ids. */
  from?: string;
  to?: string;
  by?: string;
  payer?: string;
  provider?: string;
  owner?: string;
  reason?: string;
  memo?: string;
  success?: boolean;
  durationMs?: number;
  /** node_slashed: percent of the stake taken; banned when the node may never work again. */
  percent?: number;
  banned?: boolean;
  /** unstake_requested: when withdraw_stake is first allowed (ms since epoch). */
  availableAt?: number;
}

export type Outcome = { ok: true; events: LedgerEvent[] } | { ok: false; code: LedgerErrorCode; message: string };

export type Failure = Extract<Outcome, { ok: false }>;

export class LedgerError extends Error {
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LedgerError';
  }
}

export function fail(code: LedgerErrorCode, message: string): Failure {
  return { ok: false, code, message };
}
