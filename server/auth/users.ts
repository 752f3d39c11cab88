import { ObjectId, type Db } from 'mongodb';
import { z } from 'zod';
import { collections, type Role, type UserDoc } from '../db/collections';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { bumpCounter } from '../db/counters';
import { AppError } from '../errors/app-error';
import { accountDisabled, isDisabled } from './account-disabled';
import { clearAttempts, takePasswordAttempt } from './attempt-limits';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { effectiveRole } from './roles';
import { sessionVersionOf } from './session-claims';

export const emailSchema = z.string().trim().toLowerCase().max(254).email('Enter a valid email address.');
export const usernameSchema = z
  .string()
  .trim()
  .min(3, 'Username must be at least 3 characters.')
  .max(32, 'Username must be at most 32 characters.')
  .regex(/^[a-zA-Z0-9_-]+$/, 'Username may use letters, numbers, "_" and "-" only.');

export const signUpInput = z.object({
  email: emailSchema,
  username: usernameSchema,
  password: z.string().max(1000, 'Password is too long.'),
});

export interface PublicUser {
  id: string;
  email: string;
  username: string | null;
  name: string | null;
  role: Role;
  createdAt: Date | null;
}

export function toPublicUser(doc: UserDoc): PublicUser {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    username: doc.username ?? null,
    name: doc.name ?? null,
    role: effectiveRole(doc.email, doc.role),
    createdAt: doc.createdAt ?? null,
  };
}

export async function signUp(db: Db, input: z.infer<typeof signUpInput>, role: Role = 'user'): Promise<PublicUser> {
  assertStrongPassword(input.password, input.email);
  const { users } = collections(db);
  // Friendly checks first; the unique indexes below are what actually guarantee it under races.
  if (await users.findOne({ email: input.email }, { projection: { _id: 1 } })) throw emailTaken();
  if (await findUserByUsername(db, input.username)) throw usernameTaken();
  const doc: UserDoc = {
    _id: new ObjectId(),
    email: input.email,
    username: input.username,
    usernameLower: input.username.toLowerCase(),
    name: input.username,
    emailVerified: null,
    passwordHash: await hashPassword(input.password),
    role,
    createdAt: new Date(),
  };
  try {
    await users.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    // Lost a race to the unique indexes; FerretDB does not say which one, so look.
    if (await users.findOne({ email: input.email }, { projection: { _id: 1 } })) throw emailTaken();
    if (await findUserByUsername(db, input.username)) throw usernameTaken();
    throw error;
  }
  await bumpCounter(db, 'users', 1);
  return toPublicUser(doc);
}

/** A user who just proved their password, with the session version their new session gets. */
export type SignedInUser = PublicUser & { sessionVersion: number };

/**
 * Checks an email and password. Every attempt is counted against the client's IP and the account
 * before the password is verified (server/auth/attempt-limits.ts); a right password clears the
 * account's count, so only failures lock it. The error never says which of email or password was
 * wrong. `verify` is the password check, replaceable so tests can count how often it runs.
 */
export async function verifyCredentials(
  db: Db,
  rawEmail: string,
  password: string,
  ip: string | null,
  { verify = verifyPassword }: { verify?: (hash: string, password: string) => Promise<boolean> } = {},
): Promise<SignedInUser> {
  const email = rawEmail.trim().toLowerCase();
  await takePasswordAttempt(db, { what: 'signin', accountKey: email, ip });

  const user = email && password ? await collections(db).users.findOne({ email }) : null;
  const ok = user?.passwordHash ? await verify(user.passwordHash, password) : (await verify(await dummyPasswordHash(), password), false);
  if (!user || !ok) throw new AppError('UNAUTHORIZED', 'INVALID_CREDENTIALS', 'Email or password is incorrect.');
  // Said only after the right password, so a guesser learns nothing about the account.
  if (isDisabled(user)) throw accountDisabled();
  await clearAttempts(db, { what: 'signin', accountKey: email });
  return { ...toPublicUser(user), sessionVersion: sessionVersionOf(user) };
}

export async function findUserById(db: Db, id: string): Promise<UserDoc | null> {
  if (!ObjectId.isValid(id)) return null;
  return collections(db).users.findOne({ _id: new ObjectId(id) });
}

/** Finds a person by username, whatever the case they type it in. */
export async function findUserByUsername(db: Db, username: string): Promise<UserDoc | null> {
  const usernameLower = username.trim().toLowerCase();
  if (!usernameLower) return null;
  return collections(db).users.findOne({ usernameLower });
}

export async function updateUsername(db: Db, userId: ObjectId, username: string): Promise<PublicUser> {
  try {
    const doc = await collections(db).users.findOneAndUpdate(
      { _id: userId },
      { $set: { username, usernameLower: username.toLowerCase() } },
      { returnDocument: 'after' },
    );
    if (!doc) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', 'Your account no longer exists.');
    return toPublicUser(doc);
  } catch (error) {
    // The only unique field this write touches is the username.
    if (isDuplicateKeyError(error)) throw usernameTaken();
    throw error;
  }
}

function emailTaken(): AppError {
  return new AppError('CONFLICT', 'EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', 'email');
}

function usernameTaken(): AppError {
  return new AppError('CONFLICT', 'USERNAME_TAKEN', 'This username is taken (usernames ignore case). Choose another.', 'username');
}

/**
 * Gives users written before usernameLower existed their lower-case name, so lookups and the
 * unique index cover them. Safe to run at every start. Two old accounts whose names differ only in
 * case cannot both have it: the later ones are left without and reported, for an admin to rename.
 */
export async function backfillUsernameLower(db: Db): Promise<{ updated: number; conflicts: string[] }> {
  const { users } = collections(db);
  const pending = await users
    .find({ username: { $exists: true }, usernameLower: { $exists: false } }, { projection: { _id: 1, username: 1 } })
    .sort({ _id: 1 })
    .toArray();
  let updated = 0;
  const conflicts: string[] = [];
  for (const doc of pending) {
    if (!doc.username) continue;
    try {
      const result = await users.updateOne({ _id: doc._id, usernameLower: { $exists: false } }, { $set: { usernameLower: doc.username.toLowerCase() } });
      updated += result.modifiedCount;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      conflicts.push(doc.username);
    }
  }
  return { updated, conflicts };
}
