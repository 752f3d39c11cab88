import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { SignInForm } from '@/components/auth/SignInForm';
import { currentUser } from '@/server/auth/current-user';
import { oauthProviders } from '@/server/auth/next-auth';

export const metadata = { title: 'Sign in' };

export default async function SignInPage() {
  // currentUser, not auth(): a session ended by sign-out elsewhere must not bounce between here and the app.
  if (await currentUser()) redirect('/dashboard');
  return (
    <main className="auth-page">
      <Suspense>
        <SignInForm oauth={oauthProviders()} />
      </Suspense>
    </main>
  );
}
