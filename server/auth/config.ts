import type { NextAuthConfig } from 'next-auth';
import type { Role } from '../db/collections';
import { claimsOfToken } from './session-claims';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: Role; sessionVersion: number; name?: string | null; email?: string | null; image?: string | null };
  }
  interface User {
    role?: Role;
    sessionVersion?: number;
  }
}

export const SIGN_IN_PATH = '/signin';

/** Pages that need a signed-in user; the proxy sends everyone else to sign in. */
export const PROTECTED_PREFIXES = ['/dashboard', '/models', '/datasets', '/jobs', '/machines', '/wallet', '/admin', '/profile'];

export function isProtectedPath(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * The part of the Auth.js configuration that needs no database.
 * server/auth/next-auth.ts adds the adapter and the providers.
 */
export const baseAuthConfig = {
  pages: { signIn: SIGN_IN_PATH },
  // Credentials sign-in needs JWT sessions in Auth.js; OAuth accounts still go through the adapter.
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.role = user.role ?? 'user';
        // Server reads accept the session only while the user is still at this version (session-claims.ts).
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      const claims = claimsOfToken(token);
      session.user.id = claims.sessionUserId ?? '';
      session.user.role = (token.role as Role | undefined) ?? 'user';
      session.user.sessionVersion = claims.sessionVersion;
      return session;
    },
  },
} satisfies NextAuthConfig;
