import { getToken } from 'next-auth/jwt';
import { NextResponse, type NextRequest } from 'next/server';
import { isProtectedPath, SIGN_IN_PATH } from './server/auth/config';

/**
 * Sends signed-out visitors of protected pages to sign in. It only reads the session token: the
 * Auth.js proxy wrapper would also re-issue the cookie on every request, and a late response to a
 * prefetch could then bring a session back to life after sign-out.
 */
export default async function proxy(req: NextRequest) {
  if (!isProtectedPath(req.nextUrl.pathname)) return NextResponse.next();
  const token = await getToken({ req, secret: process.env.AUTH_SECRET, secureCookie: req.nextUrl.protocol === 'https:' });
  if (token?.sub) return NextResponse.next();
  const url = new URL(SIGN_IN_PATH, req.nextUrl);
  url.searchParams.set('callbackUrl', req.nextUrl.pathname + req.nextUrl.search);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'],
};
