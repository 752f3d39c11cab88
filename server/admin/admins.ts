import type { Db, ObjectId } from 'mongodb';
import { adminEmails } from '../auth/roles';
import { collections } from '../db/collections';
import { AppError } from '../errors/app-error';

export function lastAdmin(): AppError {
  return new AppError('CONFLICT', 'LAST_ADMIN', 'This is the last active administrator: make someone else an admin first.');
}

/**
 * Whether any active (not disabled) administrator other than `except` exists: stored admins plus
 * ADMIN_EMAILS accounts. Two equality reads, each stopping at the first couple of matches.
 */
export async function otherActiveAdminExists(db: Db, except: ObjectId): Promise<boolean> {
  const { users } = collections(db);
  const envAdmins = [...adminEmails()];
  const [stored, fromEnv] = await Promise.all([
    users.find({ role: 'admin', disabledAt: null }, { projection: { _id: 1 } }).limit(2).toArray(),
    envAdmins.length ? users.find({ email: { $in: envAdmins }, disabledAt: null }, { projection: { _id: 1 } }).limit(2).toArray() : Promise.resolve([]),
  ]);
  return [...stored, ...fromEnv].some((u) => !u._id.equals(except));
}
