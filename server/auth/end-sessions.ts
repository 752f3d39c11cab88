import { ObjectId, type Db } from 'mongodb';
import { collections } from '../db/collections';
import type { SessionClaims } from './session-claims';

/** A filter that matches the user only while it is still at `version` (0 also matches "never set"). */
function atVersion(version: number): Record<string, unknown> {
  return version === 0 ? { sessionVersion: { $in: [0, null] } } : { sessionVersion: version };
}

/**
 * Ends every session of a user, but only if the caller's own session is current: a stale cookie
 * presented to sign-out must not be able to keep signing the user out of their new sessions.
 */
export async function endAllSessions(db: Db, claims: SessionClaims): Promise<boolean> {
  if (!claims.sessionUserId || !ObjectId.isValid(claims.sessionUserId)) return false;
  const result = await collections(db).users.updateOne(
    { _id: new ObjectId(claims.sessionUserId), ...atVersion(claims.sessionVersion) },
    { $inc: { sessionVersion: 1 } },
  );
  return result.modifiedCount === 1;
}
