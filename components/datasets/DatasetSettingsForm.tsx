'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';

/** The owner picks the label column (CSV only) and how much data is held out for validation. */
export function DatasetSettingsForm({ id, columnNames, labelColumn, validationSplit, labelFixed }: { id: string; columnNames: string[]; labelColumn: number | null; validationSplit: number; labelFixed: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.datasets.update.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.pathKey() });
      },
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const percent = Number(form.get('validationPercent'));
    const label = form.get('labelColumn');
    update.mutate({ id, validationSplit: percent / 100, ...(label === null || labelFixed ? {} : { labelColumn: Number(label) }) });
  }

  const errors = update.isError ? fieldErrorsOf(update.error) : {};
  const other = update.isError && !errors.labelColumn && !errors.validationSplit ? messageOf(update.error) : null;
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="Training settings">
      <div className="field">
        <label htmlFor={`label-${id}`}>Label column</label>
        <select id={`label-${id}`} name="labelColumn" defaultValue={labelColumn ?? undefined} disabled={labelFixed} aria-invalid={errors.labelColumn ? true : undefined} aria-describedby={errors.labelColumn ? `label-${id}-error` : `label-${id}-hint`}>
          {columnNames.map((name, c) => (
            <option key={c} value={c}>
              {name}
            </option>
          ))}
        </select>
        {errors.labelColumn ? (
          <p className="field-error" id={`label-${id}-error`} role="alert">
            {errors.labelColumn}
          </p>
        ) : (
          <p className="hint" id={`label-${id}-hint`}>
            {labelFixed ? 'IDX labels come from the labels file.' : 'The column the model learns to predict; the rest are features.'}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`split-${id}`}>Validation split (%)</label>
        <input id={`split-${id}`} name="validationPercent" type="number" min={5} max={50} step={1} defaultValue={Math.round(validationSplit * 100)} aria-invalid={errors.validationSplit ? true : undefined} aria-describedby={errors.validationSplit ? `split-${id}-error` : undefined} />
        {errors.validationSplit ? (
          <p className="field-error" id={`split-${id}-error`} role="alert">
            {errors.validationSplit}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button primary" disabled={update.isPending}>
        {update.isPending ? 'Saving…' : 'Save'}
      </button>
      {saved && !update.isPending ? (
        <span className="saved" role="status">
          Saved
        </span>
      ) : null}
      {other ? (
        <p className="form-error" role="alert">
          {other}
        </p>
      ) : null}
    </form>
  );
}
