'use client';

import { useState, type FormEvent } from 'react';
import { Field } from '../ui/Field';

/** Asks why before an admin action; the reason goes to the audit log (3 to 200 characters). */
export function ReasonForm({
  label,
  pending,
  error,
  fieldError,
  onSubmit,
  onCancel,
}: {
  label: string;
  pending: boolean;
  error?: string | null;
  fieldError?: string;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(reason);
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={label}>
      <Field label="Reason (kept in the audit log)" name="admin-reason" value={reason} onChange={(e) => setReason(e.target.value)} minLength={3} maxLength={200} placeholder="at least 3 characters" error={fieldError} autoFocus />
      <button type="submit" className="button primary" disabled={pending}>
        {pending ? 'Working…' : label}
      </button>
      <button type="button" className="button secondary" onClick={onCancel} disabled={pending}>
        Cancel
      </button>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
