'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';
import { Loading } from '../ui/Spinner';

/** The owner's access list: add people as editors or viewers, change or remove them. */
export function SharePanel({ modelId, onClose }: { modelId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const people = useQuery(trpc.models.collaborators.queryOptions({ id: modelId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.models.collaborators.queryKey({ id: modelId }) });
  const share = useMutation(trpc.models.share.mutationOptions({ onSuccess: refresh }));
  const unshare = useMutation(trpc.models.unshare.mutationOptions({ onSuccess: refresh }));
  const [role, setRole] = useState<'editor' | 'viewer'>('editor');

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const who = String(new FormData(form).get('who') ?? '');
    share.mutate({ id: modelId, who, role }, { onSuccess: () => form.reset() });
  }

  const errors = share.isError ? fieldErrorsOf(share.error) : {};
  return (
    <section className="panel share-panel" aria-labelledby="share-heading">
      <div className="panel-title">
        <h2 id="share-heading">Share this model</h2>
        <button type="button" className="button secondary" onClick={onClose}>
          Close
        </button>
      </div>
      <form className="inline-form" onSubmit={onSubmit} noValidate>
        <Field label="Email or username" name="who" error={errors.who} autoComplete="off" />
        <div className="field">
          <label htmlFor="share-role">Role</label>
          <select id="share-role" value={role} onChange={(e) => setRole(e.target.value as 'editor' | 'viewer')}>
            <option value="editor">Editor: can change the model</option>
            <option value="viewer">Viewer: can only look</option>
          </select>
        </div>
        <button type="submit" className="button primary" disabled={share.isPending}>
          {share.isPending ? 'Sharing…' : 'Share'}
        </button>
      </form>
      {share.isError && !errors.who ? <p className="form-error" role="alert">{messageOf(share.error)}</p> : null}
      {people.isPending ? <Loading label="Loading people…" /> : null}
      {people.data ? (
        <table className="table" aria-label="People with access">
          <tbody>
            {people.data.map((p) => (
              <tr key={p.userId}>
                <td>{p.username ?? p.email}</td>
                <td>{p.role}</td>
                <td>
                  {p.role === 'owner' ? null : (
                    <button type="button" className="button secondary" aria-label={`Remove ${p.username ?? p.email}`} disabled={unshare.isPending} onClick={() => unshare.mutate({ id: modelId, userId: p.userId })}>
                      Remove
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
