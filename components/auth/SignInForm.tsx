'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Field } from '../ui/Field';
import { useHydrated } from '../ui/useHydrated';
import { safeCallbackUrl } from './safe-callback';

const MESSAGES: Record<string, string> = {
  rate_limited: 'Too many sign-in attempts. Wait a few minutes and try again.',
  account_disabled: 'This account has been disabled by an administrator. Contact support if you think this is a mistake.',
  credentials: 'Email or password is incorrect.',
};

export function SignInForm({ oauth }: { oauth: { id: string; name: string }[] }) {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = safeCallbackUrl(params.get('callbackUrl'));
  const [error, setError] = useState<string | null>(params.get('error') ? (MESSAGES[params.get('error')!] ?? MESSAGES.credentials!) : null);
  const passwordChanged = params.get('changed') === 'password';
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await signIn('credentials', { email, password, redirect: false });
      if (!result || result.error) {
        setError(MESSAGES[result?.code ?? ''] ?? MESSAGES.credentials!);
        setBusy(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
      setBusy(false);
    }
  }

  return (
    <div className="auth-card">
      <h1>Sign in</h1>
      <form method="post" onSubmit={onSubmit} noValidate aria-describedby={error ? 'signin-error' : undefined}>
        {error ? (
          <p className="form-error" id="signin-error" role="alert">
            {error}
          </p>
        ) : passwordChanged ? (
          <p className="muted" role="status">
            Your password was changed and every session was signed out. Sign in with the new password.
          </p>
        ) : null}
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <button className="button primary wide" type="submit" disabled={busy || !hydrated}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {oauth.length > 0 ? (
        <div className="oauth">
          <p className="divider">or</p>
          {oauth.map((p) => (
            <button key={p.id} type="button" className="button secondary wide" onClick={() => void signIn(p.id, { redirectTo: callbackUrl })}>
              Continue with {p.name}
            </button>
          ))}
        </div>
      ) : null}
      <p className="switch">
        New here? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
