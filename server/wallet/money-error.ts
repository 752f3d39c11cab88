import type { Failure } from '../../programs';
import { AppError } from '../errors/app-error';
import { LedgerFailure } from '../ledger';

/** A program's refusal (INSUFFICIENT_FUNDS, ESCROW_CLOSED…) as the API error people see, code kept. */
export function toMoneyError(outcome: Failure, field?: string): AppError {
  return new AppError(outcome.code === 'IDEMPOTENCY_CONFLICT' ? 'CONFLICT' : 'BAD_REQUEST', outcome.code, outcome.message, field);
}

/** Runs a ledger call, turning the executor's own failures (database down, closed) into a 503 with their code. */
export async function withLedger<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof LedgerFailure) throw new AppError('SERVICE_UNAVAILABLE', error.code, error.message);
    throw error;
  }
}
