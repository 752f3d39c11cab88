import type { UserDoc } from '../db/collections';

/**
 * Sessions are JWTs, which cannot be deleted: each one carries the user's `sessionVersion` from
 * when it was minted, and a server read accepts it only while the user document still has that
 * version. Signing out or changing the password bumps the version, which ends every session of
 * the user on every device at once. Users written before this field existed are at version 0.
 */
export interface SessionClaims {
  sessionUserId: string | null;
  sessionVersion: number;
}

export const NO_SESSION: SessionClaims = { sessionUserId: null, sessionVersion: 0 };

export function sessionVersionOf(user: Pick<UserDoc, 'sessionVersion'>): number {
  return user.sessionVersion ?? 0;
}

export function isCurrentSession(user: Pick<UserDoc, 'sessionVersion'>, version: number): boolean {
  return sessionVersionOf(user) === version;
}

/** What the JWT holds, as Auth.js hands it to callbacks and events. */
export interface SessionToken {
  sub?: string | null;
  sv?: unknown;
}

export function claimsOfToken(token: SessionToken | null | undefined): SessionClaims {
  if (!token?.sub) return NO_SESSION;
  return { sessionUserId: token.sub, sessionVersion: typeof token.sv === 'number' ? token.sv : 0 };
}

/** The claims of a session as Auth.js's auth() (or /api/auth/session) returns it. */
export function claimsOfSession(session: { user?: { id?: string | null; sessionVersion?: unknown } | null } | null | undefined): SessionClaims {
  return claimsOfToken({ sub: session?.user?.id, sv: session?.user?.sessionVersion });
}
