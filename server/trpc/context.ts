import type { Db, ObjectId } from 'mongodb';
import { accountDisabled, isDisabled } from '../auth/account-disabled';
import { authenticateApiKey } from '../auth/api-keys';
import { effectiveRole } from '../auth/roles';
import { isCurrentSession } from '../auth/session-claims';
import { findUserById } from '../auth/users';
import type { Role, UserDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { authenticateMachine, type MachineCaller } from '../machines/authenticate';
import { isMachineCredential } from '../machines/credential';
import { publicOrigin } from '../machines/public-origin';

export interface Caller {
  user: UserDoc;
  role: Role;
  via: 'session' | 'apiKey';
  apiKey?: { id: ObjectId; name: string };
}

export interface Context {
  db: Db;
  caller: Caller | null;
  /** A node-runner presenting its machine credential (caller is then null: no user procedure accepts it). */
  machine: MachineCaller | null;
  /** Set when the request presented credentials that are not accepted; every procedure then answers 401. */
  authError: AppError | null;
  ip: string | null;
  /** This site's address as the caller reached it (links a runner prints). */
  origin: string;
  /** The clock procedures read; tests inject one to move time without sleeping. */
  now: () => Date;
}

export function clientIp(headers: Headers): string | null {
  // The custom server overwrites x-forwarded-for with the socket address (see server/http).
  return headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
}

/**
 * Resolves who is calling: a bearer API key when one is presented, otherwise the session user.
 * `sessionVersion` is the version the session's JWT was minted with (server/auth/session-claims.ts);
 * it is checked against the user document loaded here anyway, so ended sessions cost no extra read.
 */
export async function createContext(opts: { db: Db; headers: Headers; sessionUserId: string | null; sessionVersion?: number; now?: () => Date }): Promise<Context> {
  const { db, headers } = opts;
  const base = { db, ip: clientIp(headers), origin: publicOrigin(headers), now: opts.now ?? (() => new Date()), machine: null };
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) {
      return { ...base, caller: null, authError: new AppError('UNAUTHORIZED', 'BAD_AUTHORIZATION_HEADER', 'Use "Authorization: Bearer <api key>".') };
    }
    try {
      if (isMachineCredential(match[1])) return { ...base, caller: null, machine: await authenticateMachine(db, match[1]), authError: null };
      const key = await authenticateApiKey(db, match[1]);
      const user = await findUserById(db, key.userId.toHexString());
      if (!user) return { ...base, caller: null, authError: new AppError('UNAUTHORIZED', 'INVALID_API_KEY', 'The API key is not valid.') };
      if (isDisabled(user)) return { ...base, caller: null, authError: accountDisabled() };
      return {
        ...base,
        caller: { user, role: effectiveRole(user.email, user.role), via: 'apiKey', apiKey: { id: key.keyId, name: key.name } },
        authError: null,
      };
    } catch (error) {
      if (error instanceof AppError) return { ...base, caller: null, authError: error };
      throw error;
    }
  }
  if (opts.sessionUserId) {
    const user = await findUserById(db, opts.sessionUserId);
    // A session for a deleted or disabled account, or one ended by sign-out or a password change, is
    // simply signed out (disabling also bumps the version; the check here covers a stale read).
    if (user && isCurrentSession(user, opts.sessionVersion ?? 0) && !isDisabled(user)) return { ...base, caller: { user, role: effectiveRole(user.email, user.role), via: 'session' }, authError: null };
  }
  return { ...base, caller: null, authError: null };
}
