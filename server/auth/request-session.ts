import { getToken } from 'next-auth/jwt';
import { claimsOfToken, type SessionClaims } from './session-claims';

/**
 * The session claims read straight from a request's session cookie, as proxy.ts reads them: for API
 * requests, where auth() would also re-encrypt and re-issue the cookie on every call (a third of the
 * cost of a small tRPC read). The token's expiry is checked when it is decrypted. Imports nothing
 * of Next.js, so our own HTTP server can use it too.
 */
export async function readRequestSession(req: Request): Promise<SessionClaims> {
  const token = await getToken({ req, secret: process.env.AUTH_SECRET, secureCookie: new URL(req.url).protocol === 'https:' });
  return claimsOfToken(token);
}
