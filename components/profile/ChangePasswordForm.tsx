'use client';

import { useMutation } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { PASSWORD_HINT } from '../auth/password-hint';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';

/** Where the browser goes once the password is changed: every session has ended, this one too. */
export const PASSWORD_CHANGED_SIGNIN = '/signin?changed=password&callbackUrl=%2Fprofile';

export function ChangePasswordForm() {
  const trpc = useTRPC();
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const [mismatch, setMismatch] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const currentPassword = String(form.get('currentPassword') ?? '');
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirmPassword') ?? '')) {
      setMismatch('The two new passwords do not match.');
      return;
    }
    setMismatch(null);
    change.mutate(
      { currentPassword, newPassword },
      // The server has already ended this session; signing out clears its cookie too.
      { onSuccess: () => void signOut({ redirectTo: PASSWORD_CHANGED_SIGNIN }) },
    );
  }

  const errors = change.isError ? fieldErrorsOf(change.error) : {};
  const general = change.isError && !errors.currentPassword && !errors.newPassword ? messageOf(change.error) : null;
  return (
    <form className="panel" onSubmit={onSubmit} noValidate aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <p className="muted">Changing your password signs you out everywhere, this browser included; sign in again with the new one.</p>
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" error={errors.currentPassword} />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" hint={PASSWORD_HINT} error={errors.newPassword} />
      <Field label="New password again" name="confirmPassword" type="password" autoComplete="new-password" error={mismatch ?? undefined} />
      {general ? (
        <p className="form-error" role="alert">
          {general}
        </p>
      ) : null}
      <button className="button primary" type="submit" disabled={change.isPending || change.isSuccess}>
        {change.isPending ? 'Changing…' : change.isSuccess ? 'Signing out…' : 'Change password'}
      </button>
    </form>
  );
}
