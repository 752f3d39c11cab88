'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';

function when(date: Date | string | null): string {
  return date ? new Date(date).toLocaleString() : 'never';
}

export function ApiKeysPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const [newKey, setNewKey] = useState<{ name: string; key: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const days = String(form.get('expiresInDays') ?? '').trim();
    create.mutate(
      { name: String(form.get('name') ?? ''), expiresInDays: days ? Number(days) : null },
      {
        onSuccess: (result) => {
          setNewKey({ name: result.summary.name, key: result.key });
          setCopied(false);
          formElement.reset();
        },
      },
    );
  }

  const errors = create.isError ? fieldErrorsOf(create.error) : {};
  return (
    <section className="panel" id="api-keys" aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <p className="muted">
        Scripts and the node-runner authenticate with <code>Authorization: Bearer &lt;key&gt;</code>. A key is shown once, when you create it.
      </p>
      <form className="inline-form" onSubmit={onCreate} noValidate>
        <Field label="Key name" name="name" placeholder="e.g. my laptop runner" maxLength={64} error={errors.name} />
        <Field label="Expires in (days, optional)" name="expiresInDays" type="number" min={1} max={365} error={errors.expiresInDays} />
        <button className="button primary" type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {create.isError && Object.keys(errors).length === 0 ? (
        <p className="form-error" role="alert">{messageOf(create.error)}</p>
      ) : null}
      {newKey ? (
        <div className="new-key" role="status">
          <p>
            <strong>Copy your new key “{newKey.name}” now.</strong> You will not see it again.
          </p>
          <div className="key-row">
            <code data-testid="new-api-key">{newKey.key}</code>
            <button
              type="button"
              className="button secondary"
              onClick={() => void navigator.clipboard?.writeText(newKey.key).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" className="button secondary" onClick={() => setNewKey(null)}>
              Done
            </button>
          </div>
        </div>
      ) : null}
      {keys.isPending ? <Loading label="Loading keys…" /> : null}
      {keys.isError ? <p className="form-error" role="alert">{messageOf(keys.error)}</p> : null}
      {keys.data && keys.data.length === 0 ? <EmptyState title="No API keys">Create one to call the API from scripts or a runner.</EmptyState> : null}
      {keys.data && keys.data.length > 0 ? (
        <table className="table" aria-label="Your API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td>{when(k.createdAt)}</td>
                <td data-testid={`last-used-${k.name}`}>{when(k.lastUsedAt)}</td>
                <td>{k.expiresAt ? when(k.expiresAt) : 'never'}</td>
                <td>
                  {confirming === k.id ? (
                    <span className="confirm">
                      <button type="button" className="button danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: k.id }, { onSettled: () => setConfirming(null) })}>
                        Confirm revoke
                      </button>
                      <button type="button" className="button secondary" onClick={() => setConfirming(null)}>
                        Cancel
                      </button>
                    </span>
                  ) : (
                    <button type="button" className="button secondary" aria-label={`Revoke ${k.name}`} onClick={() => setConfirming(k.id)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
