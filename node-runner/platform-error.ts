import { classifyFailure, isCredentialRejected } from './api-failure';
import { EXIT_REVOKED, RunnerError } from './runner-error';

/**
 * A failed platform call in a one-shot command, as the person should read it: the platform's own
 * message and code; a refused machine credential exits 3 like `start` does.
 */
export function platformError(error: unknown, server: string): RunnerError {
  if (error instanceof RunnerError) return error;
  const failure = classifyFailure(error);
  if (failure.kind === 'unavailable' && failure.httpStatus === null) {
    return new RunnerError('SERVER_UNREACHABLE', `Could not reach ${server} (${failure.message}). Is the platform running, and is --server right?`);
  }
  const code = failure.code ?? `HTTP_${failure.httpStatus ?? 0}`;
  return new RunnerError(code, `${failure.message} (${code})`, isCredentialRejected(failure) && code.includes('MACHINE') ? EXIT_REVOKED : 1);
}
