import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/SignUpForm';
import { auth } from '@/server/auth/next-auth';

export const metadata = { title: 'Create account' };

export default async function SignUpPage() {
  if ((await auth())?.user) redirect('/dashboard');
  return (
    <main className="auth-page">
      <SignUpForm />
    </main>
  );
}
