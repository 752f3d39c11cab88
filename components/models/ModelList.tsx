'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';

function NewModelForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.models.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/models/${id}`) }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: String(new FormData(event.currentTarget).get('name') ?? '') });
  };
  const errors = create.isError ? fieldErrorsOf(create.error) : {};
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="New model">
      <Field label="New model name" name="name" placeholder="e.g. Digits classifier" maxLength={100} error={errors.name ?? (create.isError && !errors.name ? messageOf(create.error) : undefined)} />
      <button className="button primary" type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create model'}
      </button>
    </form>
  );
}

export function ModelList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  return (
    <>
      <NewModelForm />
      {models.isPending ? <Loading label="Loading models…" /> : null}
      {models.isError ? <p className="form-error" role="alert">{messageOf(models.error)}</p> : null}
      {models.data?.length === 0 ? (
        <EmptyState title="No models yet">Create one above, or ask a colleague to share theirs with you.</EmptyState>
      ) : null}
      {models.data && models.data.length > 0 ? (
        <table className="table">
          <caption className="visually-hidden">Your models</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Owner</th>
              <th scope="col">Collaborators</th>
              <th scope="col">Last edited</th>
            </tr>
          </thead>
          <tbody>
            {models.data.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link href={`/models/${m.id}`}>{m.name}</Link>
                </td>
                <td>{m.mine ? 'you' : m.owner}</td>
                <td>{m.collaborators}</td>
                <td>{new Date(m.updatedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
