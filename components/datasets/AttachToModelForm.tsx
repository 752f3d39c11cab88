'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { messageOf, useTRPC } from '../trpc/client';

/** Sets this dataset as the training data of a model the person can edit: the editor's training panel then starts on it. */
export function AttachToModelForm({ datasetId }: { datasetId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The most recently edited page: the models someone is working on now.
  const models = useQuery(trpc.models.list.queryOptions({ limit: 100 }));
  const attach = useMutation(trpc.datasets.attach.mutationOptions());
  const [attachedTo, setAttachedTo] = useState<string | null>(null);
  const editable = models.data?.items.filter((m) => m.role === 'owner' || m.role === 'editor') ?? [];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const modelId = String(new FormData(event.currentTarget).get('modelId') ?? '');
    if (!modelId) return;
    attach.mutate(
      { modelId, datasetId },
      {
        onSuccess: () => {
          setAttachedTo(editable.find((m) => m.id === modelId)?.name ?? 'the model');
          // An editor already open in this session reads the model's dataset from this query.
          void queryClient.invalidateQueries({ queryKey: trpc.models.get.queryKey({ id: modelId }) });
        },
      },
    );
  }

  if (models.isSuccess && editable.length === 0) return <p className="hint">Create a model to train on this dataset.</p>;
  return (
    <form className="inline-form" onSubmit={onSubmit} aria-label="Use with a model">
      <div className="field">
        <label htmlFor={`attach-${datasetId}`}>Train a model on it</label>
        <select id={`attach-${datasetId}`} name="modelId" defaultValue="">
          <option value="" disabled>
            Choose a model…
          </option>
          {editable.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={attach.isPending}>
        Use this dataset
      </button>
      {attachedTo && !attach.isPending ? (
        <span className="saved" role="status">
          {attachedTo} now trains on it
        </span>
      ) : null}
      {attach.isError ? (
        <p className="form-error" role="alert">
          {messageOf(attach.error)}
        </p>
      ) : null}
    </form>
  );
}
