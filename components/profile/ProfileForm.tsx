'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';

export function ProfileForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.account.me.queryOptions());
  const update = useMutation(
    trpc.account.updateUsername.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() }),
    }),
  );
  const [saved, setSaved] = useState(false);

  if (me.isPending) return <Loading label="Loading your profile…" />;
  if (me.isError) return <p className="form-error" role="alert">{messageOf(me.error)}</p>;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const username = String(new FormData(event.currentTarget).get('username') ?? '');
    update.mutate({ username }, { onSuccess: () => setSaved(true) });
  }

  const errors = update.isError ? fieldErrorsOf(update.error) : {};
  return (
    <form className="panel" onSubmit={onSubmit} noValidate aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <dl className="facts">
        <dt>Email</dt>
        <dd data-testid="profile-email">{me.data.email}</dd>
        <dt>Role</dt>
        <dd>{me.data.role}</dd>
      </dl>
      <Field label="Username" name="username" defaultValue={me.data.username ?? ''} error={errors.username ?? (update.isError && !errors.username ? messageOf(update.error) : undefined)} />
      <button className="button primary" type="submit" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save'}
      </button>
      {saved ? <span className="saved" role="status">Saved</span> : null}
    </form>
  );
}
