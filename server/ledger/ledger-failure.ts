/**
 * Why the executor itself (not a program) could not answer. Programs' refusals (INSUFFICIENT_FUNDS…)
 * are outcomes, never thrown; these are thrown, with a stable code for the API to map.
 */
export type LedgerFailureCode =
  /** The log could not be written or re-read: the instruction may be resubmitted with the same key. */
  | 'LEDGER_UNAVAILABLE'
  /** A stored snapshot does not match its hash or cannot be read: the start stops. */
  | 'LEDGER_SNAPSHOT_CORRUPT'
  /** A logged instruction does not replay (malformed, refused, or a key twice): the start stops. */
  | 'LEDGER_LOG_CORRUPT'
  /** The executor was closed (or stopped by a test's simulated crash). */
  | 'LEDGER_CLOSED';

export class LedgerFailure extends Error {
  constructor(
    readonly code: LedgerFailureCode,
    message: string,
    /** The log sequence number the problem is at, when there is one. */
    readonly seq?: number,
  ) {
    super(message);
    this.name = 'LedgerFailure';
  }
}
