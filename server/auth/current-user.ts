import type { UserDoc } from '../db/collections';
import { getDb } from '../db/client';
import { isDisabled } from './account-disabled';
import { auth } from './next-auth';
import { claimsOfSession, isCurrentSession, type SessionClaims } from './session-claims';
import { findUserById, toPublicUser, type PublicUser } from './users';

/** Who the request's session cookie says is signed in; a stale version is checked by whoever loads the user. */
export async function readSession(): Promise<SessionClaims> {
  return claimsOfSession(await auth());
}

/** The session's user document, or null when signed out, deleted, or ended by sign-out elsewhere. */
export async function sessionUserDoc(): Promise<UserDoc | null> {
  const claims = await readSession();
  if (!claims.sessionUserId) return null;
  const doc = await findUserById(getDb(), claims.sessionUserId);
  return doc && isCurrentSession(doc, claims.sessionVersion) && !isDisabled(doc) ? doc : null;
}

/** The signed-in user for server components, read fresh from the database (role included). */
export async function currentUser(): Promise<PublicUser | null> {
  const doc = await sessionUserDoc();
  return doc ? toPublicUser(doc) : null;
}
