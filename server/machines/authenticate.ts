import type { Db, ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error';
import { machinesCollection } from './collections';
import { accountDisabled, isAccountDisabled } from '../auth/account-disabled';
import { sha256Hex } from '../auth/api-keys';
import { looksLikeMachineCredential } from './credential';
import { machineRevoked } from './revoked';

export interface MachineCaller {
  id: ObjectId;
  ownerId: ObjectId;
}

/**
 * Credentials seen recently, by hash. A machine's id and owner never change, and every machine
 * procedure's own read or write is conditional on `removedAt: null` (in this process or any
 * other), so a cached entry can never let a removed machine act: it only saves the heartbeat its
 * lookup, leaving one database round trip. Bounded; the oldest entries go first.
 */
const CACHE_LIMIT = 20_000;
const CACHE_TTL_MS = 60_000;
const recent = new Map<string, { caller: MachineCaller; until: number }>();

function remember(hash: string, caller: MachineCaller): void {
  if (recent.size >= CACHE_LIMIT) recent.delete(recent.keys().next().value!);
  recent.set(hash, { caller, until: Date.now() + CACHE_TTL_MS });
}

// A function, not one error made up front: an Error captures its stack when made, and every heartbeat would pay for it.
const invalid = () => new AppError('UNAUTHORIZED', 'INVALID_MACHINE_CREDENTIAL', 'The machine credential is not valid. Register the machine again.');

/**
 * Resolves a presented machine credential to its machine: one equality read on the unique
 * credentialHash index (or none, when seen in the last minute), then the owner's disabled state
 * (cached for a second). A removed machine's credential is told apart from an unknown one, so the
 * runner can say why it stops; a disabled owner's is 403 ACCOUNT_DISABLED, so it keeps retrying and
 * resumes if the account is enabled again.
 */
export async function authenticateMachine(db: Db, credential: string): Promise<MachineCaller> {
  if (!looksLikeMachineCredential(credential)) throw invalid();
  const hash = sha256Hex(credential);
  const cached = recent.get(hash);
  if (cached && cached.until > Date.now()) return refuseDisabledOwner(db, cached.caller);
  const doc = await machinesCollection(db).findOne({ credentialHash: hash }, { projection: { _id: 1, ownerId: 1, removedAt: 1 } });
  if (!doc) throw invalid();
  if (doc.removedAt) {
    recent.delete(hash);
    throw machineRevoked();
  }
  const caller = { id: doc._id, ownerId: doc.ownerId };
  remember(hash, caller);
  return refuseDisabledOwner(db, caller);
}

/**
 * A disabled owner's machines stop at once. The owner's state is cached for at most a second
 * (server/auth/account-disabled.ts), so a heartbeating machine keeps its single round trip.
 */
async function refuseDisabledOwner(db: Db, caller: MachineCaller): Promise<MachineCaller> {
  if (await isAccountDisabled(db, caller.ownerId)) throw accountDisabled();
  return caller;
}
