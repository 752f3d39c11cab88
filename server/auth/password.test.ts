import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { assertStrongPassword, hashPassword, passwordProblem, verifyPassword } from './password';

describe('password policy', () => {
  it.each([
    ['short1', 'too short'],
    ['onlyletterslong', 'no digit'],
    ['1234567890123', 'no letter'],
  ])('rejects %s (%s) and says what is required', (password) => {
    expect(passwordProblem(password)).toBe('Password must be at least 10 characters, with at least one letter and one number.');
  });

  it('rejects the email as password', () => {
    expect(passwordProblem('me1@example.com', 'ME1@example.com')).toBe('Password must not be your email address.');
  });

  it('accepts a reasonable password', () => {
    expect(passwordProblem('correct horse 42')).toBeNull();
  });

  it('throws a WEAK_PASSWORD AppError on the password field', () => {
    try {
      assertStrongPassword('weak');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'WEAK_PASSWORD', field: 'password', kind: 'BAD_REQUEST' });
    }
  });
});

describe('password hashing', () => {
  it('uses argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse 42');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse 42')).toBe(true);
    expect(await verifyPassword(hash, 'correct horse 43')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
