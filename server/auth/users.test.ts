import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from 'mongodb';
import { useTestDatabase } from '../testing/test-db';
import { ObjectId } from 'mongodb';
import { verifyPassword } from './password';
import { backfillUsernameLower, findUserByUsername, signUp, updateUsername, verifyCredentials } from './users';

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

describe('parallel sign-in attempts', () => {
  it('lets at most the account limit of 25 parallel wrong guesses reach the password check', async () => {
    const dave = { email: 'dave@example.com', username: 'dave', password: 'dave-password-1' };
    await signUp(db, dave);
    process.env.SIGNIN_LIMIT_PER_ACCOUNT = '5/600';
    let checks = 0;
    const countingVerify = (hash: string, password: string) => {
      checks++;
      return verifyPassword(hash, password);
    };
    const guesses = Array.from({ length: 25 }, (_, i) => verifyCredentials(db, dave.email, `wrong-guess-${i}`, `10.3.0.${i}`, { verify: countingVerify }));
    const results = await Promise.allSettled(guesses);
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'));
    expect(checks).toBe(5);
    expect(codes.filter((c) => c === 'INVALID_CREDENTIALS')).toHaveLength(5);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20);
    // Locked now, right password or not, and the right password is not even checked.
    await expect(verifyCredentials(db, dave.email, dave.password, '10.3.1.1', { verify: countingVerify })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(checks).toBe(5);
  });
});

describe('usernames ignore case', () => {
  it('refuses a sign-up whose username differs from a taken one only in case', async () => {
    await expect(signUp(db, { email: 'alice-upper@example.com', username: 'Alice', password: 'alice-password-2' })).rejects.toMatchObject({
      code: 'USERNAME_TAKEN',
      field: 'username',
      kind: 'CONFLICT',
    });
    expect(await db.collection('users').countDocuments({ email: 'alice-upper@example.com' })).toBe(0);
  });

  it('lets the unique index refuse a case-variant that slips past the friendly check in a race', async () => {
    const results = await Promise.allSettled([
      signUp(db, { email: 'erin1@example.com', username: 'Erin', password: 'erin-password-1' }),
      signUp(db, { email: 'erin2@example.com', username: 'eRIN', password: 'erin-password-1' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'USERNAME_TAKEN' } });
  });

  it('refuses renaming to a case-variant of someone else, but allows re-casing your own name', async () => {
    const frank = await signUp(db, { email: 'frank@example.com', username: 'frank', password: 'frank-password-1' });
    await expect(updateUsername(db, new ObjectId(frank.id), 'ALICE')).rejects.toMatchObject({ code: 'USERNAME_TAKEN', field: 'username' });
    await expect(updateUsername(db, new ObjectId(frank.id), 'Frank')).resolves.toMatchObject({ username: 'Frank' });
    expect((await findUserByUsername(db, 'FRANK'))?._id.toHexString()).toBe(frank.id);
  });

  it('finds people by username in any case', async () => {
    expect((await findUserByUsername(db, ' ALICE '))?.email).toBe(alice.email);
    expect(await findUserByUsername(db, 'nobody-here')).toBeNull();
    expect(await findUserByUsername(db, '')).toBeNull();
  });

  it('backfills usernameLower for older users and reports names that collide by case', async () => {
    const older = new ObjectId();
    const collider = new ObjectId();
    await db.collection('users').insertMany([
      { _id: older, email: 'legacy1@example.com', username: 'Legacy', createdAt: new Date() },
      { _id: collider, email: 'legacy2@example.com', username: 'legacy', createdAt: new Date() },
    ]);
    expect(await findUserByUsername(db, 'legacy')).toBeNull();
    const report = await backfillUsernameLower(db);
    expect(report).toEqual({ updated: 1, conflicts: ['legacy'] });
    expect((await findUserByUsername(db, 'LEGACY'))?._id.equals(older)).toBe(true);
    expect(await backfillUsernameLower(db)).toEqual({ updated: 0, conflicts: ['legacy'] });
  });
});
