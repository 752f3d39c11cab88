import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey, revokeApiKey } from '../auth/api-keys';
import { signUp } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { GENERIC_ERROR_MESSAGE, publicProcedure, router } from './init';
import { appRouter } from './root';

/**
 * Drives the real tRPC HTTP handler (the one app/api/trpc mounts) against the real database.
 * Only the Auth.js cookie is out of the picture: a session is represented by its user id.
 */
let db: Db;
let userId: string;
let userKey: string;
beforeAll(async () => {
  ({ db } = await useTestDatabase('trpc'));
  userId = (await signUp(db, { email: 'dev@example.com', username: 'dev', password: 'dev-password-1' })).id;
  userKey = (await createApiKey(db, new ObjectId(userId), 'ci', null)).key;
});

const faulty = router({ boom: publicProcedure.query(() => { throw new Error('secret detail: collection xyz'); }) });

async function call(opts: { path: string; input?: unknown; method?: 'GET' | 'POST'; key?: string; session?: string; authorization?: string; routerOverride?: typeof faulty }) {
  const method = opts.method ?? 'GET';
  const url = new URL(`http://localhost/api/trpc/${opts.path}`);
  if (method === 'GET' && opts.input !== undefined) url.searchParams.set('input', JSON.stringify(opts.input));
  const headers = new Headers({ 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.9' });
  if (opts.key) headers.set('authorization', `Bearer ${opts.key}`);
  if (opts.authorization) headers.set('authorization', opts.authorization);
  const req = new Request(url, { method, headers, body: method === 'POST' ? JSON.stringify(opts.input ?? {}) : undefined });
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: opts.routerOverride ?? appRouter,
    createContext: () => createContext({ db, headers: req.headers, sessionUserId: opts.session ?? null }),
    onError: () => undefined,
  });
  return { status: res.status, body: (await res.json()) as { result?: { data: unknown }; error?: { message: string; data: { appCode: string; fieldErrors?: Record<string, string[]>; httpStatus: number; stack?: string } } } };
}

describe('tRPC over HTTP', () => {
  it('serves a public procedure to anyone', async () => {
    const res = await call({ path: 'health.ping' });
    expect(res.status).toBe(200);
    expect(res.body.result?.data).toMatchObject({ ok: true });
  });

  it('answers 401 to a signed-in procedure without credentials', async () => {
    const res = await call({ path: 'account.me' });
    expect(res.status).toBe(401);
    expect(res.body.error?.data.appCode).toBe('NOT_SIGNED_IN');
  });

  it('accepts an API key as a bearer token', async () => {
    const res = await call({ path: 'runner.whoami', key: userKey });
    expect(res.status).toBe(200);
    expect(res.body.result?.data).toMatchObject({ email: 'dev@example.com', apiKey: { name: 'ci' } });
  });

  it('answers 401 to an unknown, revoked or expired key, even on public procedures', async () => {
    expect((await call({ path: 'health.ping', key: 'cyx_' + 'B'.repeat(43) })).status).toBe(401);
    const { key, summary } = await createApiKey(db, new ObjectId(userId), 'temp', null);
    expect((await call({ path: 'account.me', key })).status).toBe(200);
    await revokeApiKey(db, new ObjectId(userId), summary.id);
    const revoked = await call({ path: 'account.me', key });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error?.data.appCode).toBe('API_KEY_REVOKED');

    const expiring = await createApiKey(db, new ObjectId(userId), 'expiring', 1);
    await db.collection('apiKeys').updateOne({ _id: new ObjectId(expiring.summary.id) }, { $set: { expiresAt: new Date(0) } });
    const expired = await call({ path: 'account.me', key: expiring.key });
    expect(expired.status).toBe(401);
    expect(expired.body.error?.data.appCode).toBe('API_KEY_EXPIRED');

    const malformed = await call({ path: 'account.me', authorization: 'Basic abc' });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error?.data.appCode).toBe('BAD_AUTHORIZATION_HEADER');
  });

  it('answers 403 to a non-admin on an admin procedure, and 200 to an admin', async () => {
    const res = await call({ path: 'admin.overview', session: userId });
    expect(res.status).toBe(403);
    expect(res.body.error?.data.appCode).toBe('ADMIN_ONLY');
    const admin = await signUp(db, { email: 'root@example.com', username: 'root', password: 'root-password-1' }, 'admin');
    const ok = await call({ path: 'admin.overview', session: admin.id });
    expect(ok.status).toBe(200);
    expect((ok.body.result?.data as { counts: { users: number } }).counts.users).toBeGreaterThanOrEqual(2);
  });

  it('promotes ADMIN_EMAILS to admin', async () => {
    vi.stubEnv('ADMIN_EMAILS', 'someone@else.com, DEV@example.com');
    try {
      expect((await call({ path: 'admin.overview', session: userId })).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('answers 400 with the field for malformed input', async () => {
    const res = await call({ path: 'account.signUp', method: 'POST', input: { email: 'not-an-email', username: 'ok_name', password: 'long-enough-1' } });
    expect(res.status).toBe(400);
    expect(res.body.error?.data.appCode).toBe('INVALID_INPUT');
    expect(res.body.error?.data.fieldErrors?.email?.[0]).toBe('Enter a valid email address.');
    expect(res.body.error?.message).toContain('email');
  });

  it('answers 400 WEAK_PASSWORD and 409 EMAIL_TAKEN from sign-up, with the field', async () => {
    const weak = await call({ path: 'account.signUp', method: 'POST', input: { email: 'new@example.com', username: 'newbie', password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.error?.data.appCode).toBe('WEAK_PASSWORD');
    expect(weak.body.error?.data.fieldErrors?.password?.[0]).toContain('at least 10 characters');
    const dup = await call({ path: 'account.signUp', method: 'POST', input: { email: 'dev@example.com', username: 'another', password: 'long-enough-1' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.data.appCode).toBe('EMAIL_TAKEN');
  });

  it('lets a session manage keys but not an API key (no key minting with a key)', async () => {
    const created = await call({ path: 'apiKeys.create', method: 'POST', session: userId, input: { name: 'from session' } });
    expect(created.status).toBe(200);
    const viaKey = await call({ path: 'apiKeys.create', method: 'POST', key: userKey, input: { name: 'from key' } });
    expect(viaKey.status).toBe(403);
    expect(viaKey.body.error?.data.appCode).toBe('SESSION_REQUIRED');
  });

  it('hides internal errors behind a generic message without a stack', async () => {
    const res = await call({ path: 'boom', routerOverride: faulty });
    expect(res.status).toBe(500);
    expect(res.body.error?.message).toBe(GENERIC_ERROR_MESSAGE);
    expect(JSON.stringify(res.body)).not.toContain('secret detail');
    expect(res.body.error?.data.stack).toBeUndefined();
  });
});
