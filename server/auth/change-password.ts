import type { Db, ObjectId } from 'mongodb';
import { z } from 'zod';
import { collections } from '../db/collections';
import { AppError } from '../errors/app-error';
import { clearAttempts, takePasswordAttempt } from './attempt-limits';
import { hashPassword, passwordProblem, verifyPassword } from './password';

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password.').max(1000, 'Password is too long.'),
  newPassword: z.string().max(1000, 'Password is too long.'),
});

/**
 * Replaces the password of a signed-in user who proves the current one, and ends every session of
 * the user (this one included: the browser signs in again with the new password). Attempts are
 * limited like sign-in, counted before the current password is checked.
 */
export async function changePassword(
  db: Db,
  userId: ObjectId,
  input: z.infer<typeof changePasswordInput>,
  ip: string | null,
  { verify = verifyPassword }: { verify?: (hash: string, password: string) => Promise<boolean> } = {},
): Promise<void> {
  const { users } = collections(db);
  const user = await users.findOne({ _id: userId }, { projection: { email: 1, passwordHash: 1 } });
  if (!user) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', 'Your account no longer exists.');
  if (!user.passwordHash) {
    throw new AppError('BAD_REQUEST', 'NO_PASSWORD', 'Your account signs in with GitHub or Google and has no password to change.', 'currentPassword');
  }
  const problem = passwordProblem(input.newPassword, user.email);
  if (problem) throw new AppError('BAD_REQUEST', 'WEAK_PASSWORD', problem, 'newPassword');
  if (input.newPassword === input.currentPassword) {
    throw new AppError('BAD_REQUEST', 'SAME_PASSWORD', 'The new password must differ from the current one.', 'newPassword');
  }

  const accountKey = userId.toHexString();
  await takePasswordAttempt(db, { what: 'password-change', accountKey, ip });
  if (!(await verify(user.passwordHash, input.currentPassword))) {
    throw new AppError('BAD_REQUEST', 'WRONG_PASSWORD', 'Your current password is not correct.', 'currentPassword');
  }
  // Conditional on the hash just verified: of two concurrent changes only one wins.
  const result = await users.updateOne(
    { _id: userId, passwordHash: user.passwordHash },
    { $set: { passwordHash: await hashPassword(input.newPassword) }, $inc: { sessionVersion: 1 } },
  );
  if (result.modifiedCount !== 1) {
    throw new AppError('CONFLICT', 'PASSWORD_CHANGED_ELSEWHERE', 'Your password was just changed from another session. Sign in again.');
  }
  await clearAttempts(db, { what: 'password-change', accountKey });
}
