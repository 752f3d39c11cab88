import { ObjectId, type Db } from 'mongodb';
import { z } from 'zod';
import { collections, type Role, type UserDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from './password';
import { clearHits, countHit, limitFromEnv, peekHits } from './rate-limit';
import { effectiveRole } from './roles';

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

function isDuplicate(error: unknown, index: string): boolean {
  const e = error as { code?: number; message?: string };
  return e.code === 11000 && (e.message ?? '').includes(index);
}

export async function signUp(db: Db, input: z.infer<typeof signUpInput>, role: Role = 'user'): Promise<PublicUser> {
  assertStrongPassword(input.password, input.email);
  const { users } = collections(db);
  // Friendly checks first; the unique indexes below are what actually guarantee it under races.
  if (await users.findOne({ email: input.email }, { projection: { _id: 1 } })) {
    throw new AppError('CONFLICT', 'EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', 'email');
  }
  if (await users.findOne({ username: input.username }, { projection: { _id: 1 } })) {
    throw new AppError('CONFLICT', 'USERNAME_TAKEN', 'This username is taken. Choose another.', 'username');
  }
  const doc: UserDoc = {
    _id: new ObjectId(),
    email: input.email,
    username: input.username,
    name: input.username,
    emailVerified: null,
    passwordHash: await hashPassword(input.password),
    role,
    createdAt: new Date(),
  };
  try {
    await users.insertOne(doc);
  } catch (error) {
    if (isDuplicate(error, 'email')) {
      throw new AppError('CONFLICT', 'EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.', 'email');
    }
    if (isDuplicate(error, 'username')) {
      throw new AppError('CONFLICT', 'USERNAME_TAKEN', 'This username is taken. Choose another.', 'username');
    }
    throw error;
  }
  return toPublicUser(doc);
}

export const SIGNIN_ACCOUNT_LIMIT_DEFAULT = { max: 5, windowMs: 15 * 60_000 };
export const SIGNIN_IP_LIMIT_DEFAULT = { max: 30, windowMs: 15 * 60_000 };

function tooMany(retryAfterMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

/**
 * Checks an email and password. Failed attempts count against the account, every attempt against
 * the client's IP; either limit blocks further attempts until its window ends. The error never says
 * which of email or password was wrong.
 */
export async function verifyCredentials(db: Db, rawEmail: string, password: string, ip: string | null): Promise<PublicUser> {
  const email = rawEmail.trim().toLowerCase();
  const accountLimit = limitFromEnv('SIGNIN_LIMIT_PER_ACCOUNT', SIGNIN_ACCOUNT_LIMIT_DEFAULT);
  const ipLimit = limitFromEnv('SIGNIN_LIMIT_PER_IP', SIGNIN_IP_LIMIT_DEFAULT);
  const accountKey = `signin:account:${email}`;

  if (ip) {
    const perIp = await countHit(db, `signin:ip:${ip}`, ipLimit);
    if (perIp.count > ipLimit.max) throw tooMany(perIp.retryAfterMs);
  }
  const perAccount = await peekHits(db, accountKey);
  if (perAccount.count >= accountLimit.max) throw tooMany(perAccount.retryAfterMs);

  const user = email && password ? await collections(db).users.findOne({ email }) : null;
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : (await verifyPassword(await dummyPasswordHash(), password), false);
  if (!user || !ok) {
    await countHit(db, accountKey, accountLimit);
    throw new AppError('UNAUTHORIZED', 'INVALID_CREDENTIALS', 'Email or password is incorrect.');
  }
  await clearHits(db, accountKey);
  return toPublicUser(user);
}

export async function findUserById(db: Db, id: string): Promise<UserDoc | null> {
  if (!ObjectId.isValid(id)) return null;
  return collections(db).users.findOne({ _id: new ObjectId(id) });
}

export async function updateUsername(db: Db, userId: ObjectId, username: string): Promise<PublicUser> {
  try {
    const doc = await collections(db).users.findOneAndUpdate({ _id: userId }, { $set: { username } }, { returnDocument: 'after' });
    if (!doc) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', 'Your account no longer exists.');
    return toPublicUser(doc);
  } catch (error) {
    if (isDuplicate(error, 'username')) {
      throw new AppError('CONFLICT', 'USERNAME_TAKEN', 'This username is taken. Choose another.', 'username');
    }
    throw error;
  }
}
