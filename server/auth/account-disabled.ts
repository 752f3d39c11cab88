import type { Db, ObjectId } from 'mongodb';
import { collections, type UserDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

export const ACCOUNT_DISABLED_MESSAGE = 'This account has been disabled by an administrator. Contact support if you think this is a mistake.';

export function accountDisabled(): AppError {
  return new AppError('FORBIDDEN', 'ACCOUNT_DISABLED', ACCOUNT_DISABLED_MESSAGE);
}

export function isDisabled(user: Pick<UserDoc, 'disabledAt'>): boolean {
  return Boolean(user.disabledAt);
}

/**
 * Whether an account is disabled, for callers that do not load the user anyway (machine
 * credentials, collaboration sockets). Each answer is kept for at most DISABLED_CACHE_MS, so a
 * busy machine costs one small read a second rather than one per heartbeat; disabling or enabling
 * in this process updates it at once (rememberDisabled), and another process sees it within the TTL.
 */
export const DISABLED_CACHE_MS = 1_000;
const CACHE_LIMIT = 20_000;
const known = new Map<string, { disabled: boolean; until: number }>();

export function rememberDisabled(userId: ObjectId | string, disabled: boolean): void {
  const key = typeof userId === 'string' ? userId : userId.toHexString();
  if (known.size >= CACHE_LIMIT) known.delete(known.keys().next().value!);
  known.delete(key);
  known.set(key, { disabled, until: Date.now() + DISABLED_CACHE_MS });
}

export async function isAccountDisabled(db: Db, userId: ObjectId): Promise<boolean> {
  const key = userId.toHexString();
  const hit = known.get(key);
  if (hit && hit.until > Date.now()) return hit.disabled;
  const doc = await collections(db).users.findOne({ _id: userId }, { projection: { disabledAt: 1 } });
  // A missing owner is not "disabled": whoever reads the user decides what a missing one means.
  const disabled = doc ? isDisabled(doc) : false;
  rememberDisabled(key, disabled);
  return disabled;
}
