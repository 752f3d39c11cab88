import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { useTestDatabase } from '../testing/test-db';
import { signUp, verifyCredentials } from './users';

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDatabase('users'));
});

afterEach(() => {
  delete process.env.SIGNIN_LIMIT_PER_ACCOUNT;
  delete process.env.SIGNIN_LIMIT_PER_IP;
});

const alice = { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' };

describe('sign up', () => {
  it('creates a user whose password is stored only as an argon2id hash', async () => {
    const user = await signUp(db, alice);
    expect(user).toMatchObject({ email: 'alice@example.com', username: 'alice', role: 'user' });
    const doc = await db.collection('users').findOne({ email: 'alice@example.com' });
    expect(doc?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(doc)).not.toContain(alice.password);
  });

  it('refuses a duplicate email with EMAIL_TAKEN on the email field', async () => {
    await expect(signUp(db, { ...alice, username: 'alice2' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN', field: 'email', kind: 'CONFLICT' });
  });

  it('refuses a duplicate username with USERNAME_TAKEN', async () => {
    await expect(signUp(db, { ...alice, email: 'other@example.com' })).rejects.toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
  });

  it('refuses a weak password and writes nothing', async () => {
    await expect(signUp(db, { email: 'weak@example.com', username: 'weak', password: 'short' })).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
    expect(await db.collection('users').countDocuments({ email: 'weak@example.com' })).toBe(0);
  });

  it('lets the unique index win a race between two sign-ups with one email', async () => {
    const racer = { email: 'race@example.com', password: 'race-password-1' };
    const results = await Promise.allSettled([signUp(db, { ...racer, username: 'race1' }), signUp(db, { ...racer, username: 'race2' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.collection('users').countDocuments({ email: 'race@example.com' })).toBe(1);
  });
});

describe('sign in', () => {
  it('accepts the right password, case-insensitively on the email', async () => {
    const user = await verifyCredentials(db, ' Alice@Example.com ', alice.password, '10.0.0.1');
    expect(user.email).toBe('alice@example.com');
  });

  it('gives the same answer for a wrong password and an unknown email', async () => {
    const wrongPassword = verifyCredentials(db, alice.email, 'nope-nope-1', '10.0.0.2');
    await expect(wrongPassword).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' });
    const unknown = verifyCredentials(db, 'nobody@example.com', alice.password, '10.0.0.2');
    await expect(unknown).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect.' });
  });

  it('locks an account after too many failures, even with the right password, from any IP', async () => {
    await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
    process.env.SIGNIN_LIMIT_PER_ACCOUNT = '3/600';
    for (let i = 0; i < 3; i++) {
      await expect(verifyCredentials(db, 'bob@example.com', 'wrong-password-1', `10.1.0.${i}`)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    await expect(verifyCredentials(db, 'bob@example.com', 'bob-password-1', '10.1.1.1')).rejects.toMatchObject({ code: 'RATE_LIMITED', kind: 'TOO_MANY_REQUESTS' });
  });

  it('limits attempts per IP across accounts', async () => {
    process.env.SIGNIN_LIMIT_PER_IP = '2/600';
    await expect(verifyCredentials(db, 'x1@example.com', 'whatever-1', '10.9.9.9')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(verifyCredentials(db, 'x2@example.com', 'whatever-1', '10.9.9.9')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(verifyCredentials(db, alice.email, alice.password, '10.9.9.9')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Another address is not affected.
    await expect(verifyCredentials(db, alice.email, alice.password, '10.9.9.10')).resolves.toMatchObject({ email: alice.email });
  });

  it('resets the account counter after a successful sign-in', async () => {
    await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
    process.env.SIGNIN_LIMIT_PER_ACCOUNT = '2/600';
    await expect(verifyCredentials(db, 'carol@example.com', 'wrong-password-1', '10.2.0.1')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await verifyCredentials(db, 'carol@example.com', 'carol-password-1', '10.2.0.1');
    await expect(verifyCredentials(db, 'carol@example.com', 'wrong-password-1', '10.2.0.1')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(verifyCredentials(db, 'carol@example.com', 'carol-password-1', '10.2.0.1')).resolves.toMatchObject({ email: 'carol@example.com' });
  });
});
