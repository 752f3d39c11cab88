import { getDb } from '../db/client';
import { auth } from './next-auth';
import { findUserById, toPublicUser, type PublicUser } from './users';

/** The signed-in user for server components, read fresh from the database (role included). */
export async function currentUser(): Promise<PublicUser | null> {
  const session = await auth();
  if (!session?.user?.id) return null;
  const doc = await findUserById(getDb(), session.user.id);
  return doc ? toPublicUser(doc) : null;
}
