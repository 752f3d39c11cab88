import { classifyFailure, isLeaseLost, type ApiFailure } from '../api-failure';
import { backoffDelayMs } from '../backoff';
import type { Clock } from '../clock';
import { JobError } from './job-error';

/** How many times a job call is tried while the platform is unreachable (1 + 2 + 4 + 8 + 16 + 30 s of waiting). */
export const JOB_CALL_ATTEMPTS = 6;

/**
 * One of the job's platform calls: retried with backoff while the platform is unreachable, a lost
 * lease (STALE_LEASE_EPOCH, JOB_NOT_HELD) becomes a `lost` JobError, any other refusal a `fail` one
 * carrying the platform's code.
 */
export async function platformCall<T>(what: string, call: () => Promise<T>, options: { clock: Clock; onRetry?: (attempt: number, delayMs: number, failure: ApiFailure) => void }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (error instanceof JobError) throw error;
      const failure = classifyFailure(error);
      if (isLeaseLost(failure)) throw new JobError(failure.code ?? 'LEASE_LOST', `The platform says this machine no longer holds the job (${what}: ${failure.message}).`, 'lost');
      if (failure.kind === 'refused') throw new JobError(failure.code ?? `HTTP_${failure.httpStatus}`, `The platform refused ${what}: ${failure.message}`);
      if (attempt >= JOB_CALL_ATTEMPTS) throw new JobError('PLATFORM_UNREACHABLE', `Gave up on ${what} after ${attempt} attempts: ${failure.message}`, 'lost');
      const delayMs = failure.kind === 'too-fast' ? 1_000 : backoffDelayMs(attempt);
      options.onRetry?.(attempt, delayMs, failure);
      await options.clock.sleep(delayMs);
    }
  }
}
