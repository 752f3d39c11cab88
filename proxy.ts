import NextAuth from 'next-auth';
import { baseAuthConfig } from './server/auth/config';

// Signed-out visitors of protected pages are sent to sign in (the `authorized` callback decides).
const { auth } = NextAuth(baseAuthConfig);

export default auth;

export const config = {
  matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'],
};
