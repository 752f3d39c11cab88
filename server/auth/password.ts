import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors/app-error';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const PASSWORD_RULE = `at least ${PASSWORD_MIN} characters, with at least one letter and one number`;

// OWASP's recommended argon2id settings (19 MiB, 2 passes). @node-rs/argon2 defaults to argon2id.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Returns what is wrong with a password, or null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || !/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) {
    return `Password must be ${PASSWORD_RULE}${password.length > PASSWORD_MAX ? ` and at most ${PASSWORD_MAX}` : ''}.`;
  }
  if (email && password.toLowerCase() === email.toLowerCase()) return 'Password must not be your email address.';
  return null;
}

export function assertStrongPassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new AppError('BAD_REQUEST', 'WEAK_PASSWORD', problem, 'password');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the account does not exist, so a wrong email costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
}
