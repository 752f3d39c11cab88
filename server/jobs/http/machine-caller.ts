import type { Db } from 'mongodb';
import { AppError } from '../../errors/app-error';
import { authenticateMachine, type MachineCaller } from '../../machines/authenticate';
import { isMachineCredential } from '../../machines/credential';

/** The machine behind "Authorization: Bearer cyxm_…", as the runner's tRPC procedures authenticate it. */
export async function requireMachine(db: Db, request: Request): Promise<MachineCaller> {
  const match = /^Bearer\s+(\S+)$/i.exec((request.headers.get('authorization') ?? '').trim());
  if (!match || !isMachineCredential(match[1]!)) {
    throw new AppError('UNAUTHORIZED', 'MACHINE_CREDENTIAL_REQUIRED', 'Send this machine\'s credential as "Authorization: Bearer cyxm_…" (run the runner\'s register command first).');
  }
  return authenticateMachine(db, match[1]!);
}

/** The lease epoch from ?epoch=, a whole number. */
export function epochParam(url: URL): number {
  const text = url.searchParams.get('epoch') ?? '';
  const epoch = Number(text);
  if (!/^\d{1,10}$/.test(text) || epoch < 1) throw new AppError('BAD_REQUEST', 'EPOCH_REQUIRED', 'Give the lease epoch as ?epoch=<n>.', 'epoch');
  return epoch;
}
