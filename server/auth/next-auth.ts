import { MongoDBAdapter } from '@auth/mongodb-adapter';
import NextAuth, { CredentialsSignin } from 'next-auth';
import type { Provider } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import Google from 'next-auth/providers/google';
import { databaseNameFrom, getDb, getMongoClient } from '../db/client';
import { bumpCounter } from '../db/counters';
import { AppError } from '../errors/app-error';
import { isDisabled } from './account-disabled';
import { baseAuthConfig, SIGN_IN_PATH } from './config';
import { endAllSessions } from './end-sessions';
import { effectiveRole } from './roles';
import { claimsOfToken, sessionVersionOf } from './session-claims';
import { findUserById, verifyCredentials } from './users';

class RateLimitedSignIn extends CredentialsSignin {
  code = 'rate_limited';
}

class DisabledSignIn extends CredentialsSignin {
  code = 'account_disabled';
}

/** GitHub and Google sign-in are on exactly when their credentials are configured. */
export function oauthProviders(): { id: string; name: string }[] {
  const list: { id: string; name: string }[] = [];
  if (process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET) list.push({ id: 'github', name: 'GitHub' });
  if (process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET) list.push({ id: 'google', name: 'Google' });
  return list;
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const email = typeof credentials.email === 'string' ? credentials.email : '';
        const password = typeof credentials.password === 'string' ? credentials.password : '';
        const ip = request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || null;
        try {
          const user = await verifyCredentials(getDb(), email, password, ip);
          return { id: user.id, email: user.email, name: user.username ?? user.name, role: user.role, sessionVersion: user.sessionVersion };
        } catch (error) {
          if (error instanceof AppError && error.code === 'RATE_LIMITED') throw new RateLimitedSignIn();
          if (error instanceof AppError && error.code === 'ACCOUNT_DISABLED') throw new DisabledSignIn();
          if (error instanceof AppError && error.code === 'INVALID_CREDENTIALS') return null;
          throw error;
        }
      },
    }),
  ];
  const enabled = new Set(oauthProviders().map((p) => p.id));
  if (enabled.has('github')) list.push(GitHub);
  if (enabled.has('google')) list.push(Google);
  return list;
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...baseAuthConfig,
  adapter: MongoDBAdapter(() => getMongoClient(), { databaseName: databaseNameFrom(process.env.MONGODB_URI ?? '') }),
  providers: providers(),
  callbacks: {
    ...baseAuthConfig.callbacks,
    // OAuth sign-in of a disabled account (credentials sign-in is refused in authorize above).
    async signIn({ user, account }) {
      if (account?.provider === 'credentials' || !user.id) return true;
      const doc = await findUserById(getDb(), user.id);
      return doc && isDisabled(doc) ? `${SIGN_IN_PATH}?error=account_disabled` : true;
    },
    async jwt(params) {
      const token = await baseAuthConfig.callbacks.jwt(params);
      // OAuth users come from the adapter without a role: read it (and ADMIN_EMAILS) from the database.
      if (params.user && params.account?.provider !== 'credentials' && params.user.id) {
        const doc = await findUserById(getDb(), params.user.id);
        token.role = effectiveRole(doc?.email, doc?.role);
        token.sv = doc ? sessionVersionOf(doc) : 0;
      }
      return token;
    },
  },
  logger: {
    // A wrong password is an everyday event, not a server error worth a stack trace in the log.
    error(error: Error) {
      if (error.name === 'CredentialsSignin' || error instanceof CredentialsSignin) return;
      console.error('[auth]', error);
    },
  },
  events: {
    // Signing out ends the user's sessions on every device: a JWT cannot be revoked one by one.
    async signOut(message) {
      if ('token' in message) await endAllSessions(getDb(), claimsOfToken(message.token));
    },
    async createUser({ user }) {
      if (!user.id) return;
      await bumpCounter(getDb(), 'users', 1);
      const doc = await findUserById(getDb(), user.id);
      if (doc) await getDb().collection('users').updateOne({ _id: doc._id }, { $set: { createdAt: new Date(), role: effectiveRole(doc.email, undefined) } });
    },
  },
}));
