import { ObjectId, type Db } from 'mongodb';
import { NextRequest } from 'next/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeDb } from '../db/client';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { changePassword } from './change-password';
import type { handlers as nextAuthHandlers } from './next-auth';
import { verifyPassword } from './password';
import { claimsOfSession } from './session-claims';
import { signUp } from './users';

/**
 * Drives the real Auth.js handlers (the ones app/api/auth mounts: credentials sign-in, session,
 * sign-out) against the real database, then resolves the session the way every server read does
 * (claims from the session, checked by createContext against the user document).
 */
let db: Db;
let handlers: typeof nextAuthHandlers;
beforeAll(async () => {
  let uri: string;
  ({ db, uri } = await useTestDatabase('sessions'));
  process.env.MONGODB_URI = uri;
  process.env.AUTH_SECRET = 'sessions-test-secret-used-nowhere-else';
  ({ handlers } = await import('./next-auth'));
});
afterAll(() => closeDb());
afterEach(() => {
  delete process.env.SIGNIN_LIMIT_PER_ACCOUNT;
});

const BASE = 'http://localhost:3000/api/auth';
const SESSION_COOKIE = 'authjs.session-token';
let nextIp = 1;

function setCookies(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return jar;
}

const cookieHeader = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

/** A form POST to an Auth.js action, with the CSRF double-submit it requires. */
async function postAction(path: string, form: Record<string, string>, session?: string): Promise<Response> {
  const csrf = await handlers.GET(new NextRequest(`${BASE}/csrf`));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = setCookies(csrf);
  if (session) jar.set(SESSION_COOKIE, session);
  return handlers.POST(
    new NextRequest(`${BASE}/${path}`, {
      method: 'POST',
      headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.8.0.${nextIp++}` },
      body: new URLSearchParams({ ...form, csrfToken }),
    }),
  );
}

/** Signs in on a new "device"; the session cookie, or null when refused. */
async function signIn(email: string, password: string): Promise<string | null> {
  const res = await postAction('callback/credentials', { email, password });
  return setCookies(res).get(SESSION_COOKIE) || null;
}

async function signOut(session: string): Promise<void> {
  const res = await postAction('signout', {}, session);
  expect(res.status).toBe(302);
}

/** What auth() would give the server for this cookie. */
async function claimsOf(session: string) {
  const res = await handlers.GET(new NextRequest(`${BASE}/session`, { headers: { cookie: `${SESSION_COOKIE}=${session}` } }));
  return claimsOfSession((await res.json()) as { user?: { id?: string; sessionVersion?: number } } | null);
}

/** Who a session cookie resolves to on the server, exactly as tRPC and the pages resolve it. */
async function callerOf(session: string) {
  return (await createContext({ db, headers: new Headers(), ...(await claimsOf(session)) })).caller;
}

const apiAs = async (session: string) => createCaller(await createContext({ db, headers: new Headers(), ...(await claimsOf(session)) }));

describe('sign-out', () => {
  const hana = { email: 'hana@example.com', username: 'hana', password: 'hana-password-1' };
  let laptop: string;
  let phone: string;

  it('issues sessions that resolve to the user', async () => {
    await signUp(db, hana);
    laptop = (await signIn(hana.email, hana.password))!;
    phone = (await signIn(hana.email, hana.password))!;
    expect(laptop).toBeTruthy();
    expect((await callerOf(laptop))?.user.email).toBe(hana.email);
    expect((await callerOf(phone))?.user.email).toBe(hana.email);
  });

  it('ends every session of the user: JWTs minted before it no longer resolve to a caller', async () => {
    await signOut(laptop);
    expect(await callerOf(laptop)).toBeNull();
    expect(await callerOf(phone)).toBeNull();
    const fresh = (await signIn(hana.email, hana.password))!;
    expect((await callerOf(fresh))?.user.email).toBe(hana.email);
  });

  it('reads the same claims straight from the cookie, as the tRPC endpoint does, and ends with the session', async () => {
    const { readRequestSession } = await import('./request-session');
    const fresh = (await signIn(hana.email, hana.password))!;
    const request = (session: string) => new Request('http://localhost:3000/api/trpc/account.me', { headers: { cookie: `${SESSION_COOKIE}=${session}` } });
    const claims = await readRequestSession(request(fresh));
    expect(claims).toEqual(await claimsOf(fresh));
    expect(claims.sessionUserId).not.toBeNull();
    expect(await readRequestSession(request('not-a-token'))).toEqual({ sessionUserId: null, sessionVersion: 0 });
    await signOut(fresh);
    const after = await createContext({ db, headers: new Headers(), ...(await readRequestSession(request(fresh))) });
    expect(after.caller).toBeNull();
  });

  it('does not let an ended session, presented to sign-out, end the newer ones', async () => {
    const fresh = (await signIn(hana.email, hana.password))!;
    await signOut(phone);
    expect((await callerOf(fresh))?.user.email).toBe(hana.email);
  });
});

describe('password change', () => {
  const ivan = { email: 'ivan@example.com', username: 'ivan', password: 'ivan-password-1' };

  it('ends every session, and only the new password signs in afterwards', async () => {
    await signUp(db, ivan);
    const here = (await signIn(ivan.email, ivan.password))!;
    const elsewhere = (await signIn(ivan.email, ivan.password))!;
    const caller = await apiAs(here);
    await expect(caller.account.changePassword({ currentPassword: ivan.password, newPassword: 'ivan-new-password-2' })).resolves.toEqual({ signedOut: true });
    expect(await callerOf(here)).toBeNull();
    expect(await callerOf(elsewhere)).toBeNull();
    expect(await signIn(ivan.email, ivan.password)).toBeNull();
    const after = (await signIn(ivan.email, 'ivan-new-password-2'))!;
    expect((await callerOf(after))?.user.email).toBe(ivan.email);
  });

  it('refuses a wrong current password, a weak or unchanged new one, each on its field', async () => {
    const session = (await signIn(ivan.email, 'ivan-new-password-2'))!;
    const caller = await apiAs(session);
    await expect(caller.account.changePassword({ currentPassword: 'not-my-password-9', newPassword: 'ivan-newer-password-3' })).rejects.toMatchObject({
      cause: { code: 'WRONG_PASSWORD', field: 'currentPassword' },
    });
    await expect(caller.account.changePassword({ currentPassword: 'ivan-new-password-2', newPassword: 'short' })).rejects.toMatchObject({
      cause: { code: 'WEAK_PASSWORD', field: 'newPassword' },
    });
    await expect(caller.account.changePassword({ currentPassword: 'ivan-new-password-2', newPassword: 'ivan-new-password-2' })).rejects.toMatchObject({
      cause: { code: 'SAME_PASSWORD', field: 'newPassword' },
    });
    // None of these changed anything: the session is still alive.
    expect((await callerOf(session))?.user.email).toBe(ivan.email);
  });

  it('is limited like sign-in: parallel guesses of the current password reach the check at most the limit times', async () => {
    const jane = await signUp(db, { email: 'jane@example.com', username: 'jane', password: 'jane-password-1' });
    process.env.SIGNIN_LIMIT_PER_ACCOUNT = '3/600';
    let checks = 0;
    const verify = (hash: string, password: string) => {
      checks++;
      return verifyPassword(hash, password);
    };
    const guesses = Array.from({ length: 12 }, (_, i) =>
      changePassword(db, new ObjectId(jane.id), { currentPassword: `guess-${i}-password`, newPassword: 'jane-new-password-2' }, null, { verify }),
    );
    const codes = (await Promise.allSettled(guesses)).map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'OK'));
    expect(checks).toBe(3);
    expect(codes.filter((c) => c === 'WRONG_PASSWORD')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(9);
  });
});
