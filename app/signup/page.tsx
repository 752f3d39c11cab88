import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/SignUpForm';
import { currentUser } from '@/server/auth/current-user';

export const metadata = { title: 'Create account' };

export default async function SignUpPage() {
  // currentUser, not auth(): a session ended by sign-out elsewhere must not bounce between here and the app.
  if (await currentUser()) redirect('/dashboard');
  return (
    <main className="auth-page">
      <SignUpForm />
    </main>
  );
}
