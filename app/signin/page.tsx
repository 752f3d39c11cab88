import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { SignInForm } from '@/components/auth/SignInForm';
import { auth, oauthProviders } from '@/server/auth/next-auth';

export const metadata = { title: 'Sign in' };

export default async function SignInPage() {
  if ((await auth())?.user) redirect('/dashboard');
  return (
    <main className="auth-page">
      <Suspense>
        <SignInForm oauth={oauthProviders()} />
      </Suspense>
    </main>
  );
}
