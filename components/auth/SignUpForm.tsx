'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';
import { useHydrated } from '../ui/useHydrated';
import { PASSWORD_HINT } from './password-hint';

export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [fields, setFields] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      email: String(form.get('email') ?? '').trim(),
      username: String(form.get('username') ?? '').trim(),
      password: String(form.get('password') ?? ''),
    };
    const confirm = String(form.get('confirm') ?? '');
    if (input.password !== confirm) {
      setFields({ confirm: 'The passwords do not match.' });
      return;
    }
    setBusy(true);
    setFields({});
    setFormError(null);
    try {
      await signUp.mutateAsync(input);
    } catch (error) {
      const byField = fieldErrorsOf(error);
      setFields(byField);
      if (Object.keys(byField).length === 0) setFormError(messageOf(error));
      setBusy(false);
      return;
    }
    const result = await signIn('credentials', { email: input.email, password: input.password, redirect: false });
    if (!result || result.error) {
      setFormError('Your account was created, but signing in failed. Try signing in.');
      setBusy(false);
      return;
    }
    router.replace('/dashboard');
    router.refresh();
  }

  return (
    <div className="auth-card">
      <h1>Create your account</h1>
      <form method="post" onSubmit={onSubmit} noValidate>
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus error={fields.email} />
        <Field label="Username" name="username" autoComplete="username" required error={fields.username} hint="3–32 letters, numbers, _ or -." />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required error={fields.password} hint={PASSWORD_HINT} />
        <Field label="Confirm password" name="confirm" type="password" autoComplete="new-password" required error={fields.confirm} />
        <button className="button primary wide" type="submit" disabled={busy || !hydrated}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p className="switch">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
