'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { AppRouter } from '@/server/trpc/root';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { ConfirmDialog } from '../ui/ConfirmDialog';

export type ModelListItem = inferRouterOutputs<AppRouter>['models']['list']['items'][number];

/** One model with what the caller may do to it: rename (owner, editor), duplicate (anyone), delete (owner). */
export function ModelRow({ model }: { model: ModelListItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Every loaded page: a rename or copy moves the model to the top.
  const refresh = () => queryClient.invalidateQueries(trpc.models.list.pathFilter());
  const [renaming, setRenaming] = useState(false);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const rename = useMutation(trpc.models.rename.mutationOptions({ onSuccess: () => refresh().then(() => setRenaming(false)) }));
  const duplicate = useMutation(trpc.models.duplicate.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.models.delete.mutationOptions({ onSuccess: () => refresh().then(() => setConfirmingDelete(false)) }));
  const canEdit = model.role === 'owner' || model.role === 'editor';

  function onRename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ id: model.id, name: String(new FormData(event.currentTarget).get('name') ?? '') });
  }

  const renameError = rename.isError ? (fieldErrorsOf(rename.error).name ?? messageOf(rename.error)) : null;
  return (
    <tr>
      <td>
        {renaming ? (
          <form className="row-form" onSubmit={onRename} noValidate>
            <input
              name="name"
              defaultValue={model.name}
              maxLength={100}
              aria-label={`New name for ${model.name}`}
              aria-invalid={renameError ? true : undefined}
              aria-describedby={renameError ? `rename-${model.id}-error` : undefined}
              // The person just asked to rename: put them in the field.
              autoFocus
              onKeyDown={(e) => e.key === 'Escape' && setRenaming(false)}
            />
            <button type="submit" className="button primary" disabled={rename.isPending}>
              Save
            </button>
            <button type="button" className="button" onClick={() => setRenaming(false)}>
              Cancel
            </button>
            {renameError ? (
              <p className="field-error" id={`rename-${model.id}-error`} role="alert">
                {renameError}
              </p>
            ) : null}
          </form>
        ) : (
          <Link href={`/models/${model.id}`}>{model.name}</Link>
        )}
      </td>
      <td>{model.mine ? 'you' : model.owner}</td>
      <td>{model.collaborators}</td>
      <td>{new Date(model.updatedAt).toLocaleString()}</td>
      <td className="row-actions">
        {canEdit && !renaming ? (
          <button type="button" className="button" aria-label={`Rename ${model.name}`} onClick={() => setRenaming(true)}>
            Rename
          </button>
        ) : null}
        <button type="button" className="button" aria-label={`Duplicate ${model.name}`} disabled={duplicate.isPending} onClick={() => duplicate.mutate({ id: model.id })}>
          {duplicate.isPending ? 'Duplicating…' : 'Duplicate'}
        </button>
        {model.role === 'owner' ? (
          <button type="button" className="button" aria-label={`Delete ${model.name}`} onClick={() => setConfirmingDelete(true)}>
            Delete
          </button>
        ) : null}
        {duplicate.isError ? (
          <p className="field-error" role="alert">
            {messageOf(duplicate.error)}
          </p>
        ) : null}
        {confirmingDelete ? (
          <ConfirmDialog
            title={`Delete “${model.name}”?`}
            confirmLabel="Delete model"
            pending={remove.isPending}
            error={remove.isError ? messageOf(remove.error) : null}
            onConfirm={() => remove.mutate({ id: model.id })}
            onCancel={() => {
              remove.reset();
              setConfirmingDelete(false);
            }}
          >
            <p>
              The model, its canvas and its history are deleted for everyone{model.collaborators > 0 ? `, including the ${model.collaborators} people it is shared with` : ''}. This cannot be undone.
            </p>
          </ConfirmDialog>
        ) : null}
      </td>
    </tr>
  );
}
