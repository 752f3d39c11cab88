import { AppError } from '../errors/app-error';

/** What a removed machine's runner is told on its next call (it prints this and exits). */
export function machineRevoked(): AppError {
  return new AppError('UNAUTHORIZED', 'MACHINE_CREDENTIAL_REVOKED', 'This machine was removed by its owner, so its credential no longer works.');
}
