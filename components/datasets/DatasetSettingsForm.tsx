'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { PREPROCESSING_KINDS, type PreprocessingKind } from '@/compute/data/preprocessing';
import { PREPROCESSING_LABELS } from '../training/config-form';
import { COLUMN_TYPE_OPTIONS, ENCODING_OPTIONS, HEADER_OPTIONS, MissingPolicySelect } from './reading-selects';

/** Column type selects are offered up to this many columns; wider data (images) is all numeric. */
const MAX_TYPED_COLUMNS = 64;

interface Reading {
  header?: string;
  missing: string;
  categoricalEncoding: string;
  columnTypes: string[];
}

/**
 * The owner picks the label column, how much data is held out for validation, how features are
 * scaled (the training panel starts from it) and, for CSV, how cells are read: missing values,
 * categorical encoding and each column's type.
 */
export function DatasetSettingsForm({
  id,
  columnNames,
  labelColumn,
  validationSplit,
  preprocessing,
  labelFixed,
  reading,
  detectedTypes,
}: {
  id: string;
  columnNames: string[];
  labelColumn: number | null;
  validationSplit: number;
  preprocessing: PreprocessingKind;
  labelFixed: boolean;
  reading: Reading;
  /** Per column as the parser reads it now (from the column statistics). */
  detectedTypes: (string | undefined)[];
}) {
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
    const scaling = String(form.get('preprocessing')) as PreprocessingKind;
    update.mutate({ id, validationSplit: percent / 100, preprocessing: scaling, ...(label === null || labelFixed ? {} : { labelColumn: Number(label), ...readingOf(form) }) });
  }

  function readingOf(form: FormData) {
    const types = columnNames.map((_, c) => String(form.get(`columnType-${c}`) ?? reading.columnTypes[c] ?? 'auto'));
    while (types.length > 0 && types[types.length - 1] === 'auto') types.pop();
    return {
      header: String(form.get('header') ?? 'auto') as 'auto' | 'names' | 'none',
      missing: String(form.get('missing')) as 'refuse' | 'drop-rows' | 'mean',
      categoricalEncoding: String(form.get('categoricalEncoding')) as 'one-hot' | 'index',
      columnTypes: types as ('auto' | 'numeric' | 'categorical')[],
    };
  }

  const errors = update.isError ? fieldErrorsOf(update.error) : {};
  const fieldError = errors.header ?? errors.missing ?? errors.categoricalEncoding ?? errors.columnTypes;
  const other = update.isError && !errors.labelColumn && !errors.validationSplit && !errors.preprocessing && !fieldError ? messageOf(update.error) : null;
  const typed = !labelFixed && columnNames.length <= MAX_TYPED_COLUMNS;
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
      <div className="field">
        <label htmlFor={`scaling-${id}`}>Feature scaling</label>
        <select id={`scaling-${id}`} name="preprocessing" data-testid="dataset-preprocessing" defaultValue={preprocessing} aria-invalid={errors.preprocessing ? true : undefined} aria-describedby={errors.preprocessing ? `scaling-${id}-error` : `scaling-${id}-hint`}>
          {PREPROCESSING_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {PREPROCESSING_LABELS[kind]}
            </option>
          ))}
        </select>
        {errors.preprocessing ? (
          <p className="field-error" id={`scaling-${id}-error`} role="alert">
            {errors.preprocessing}
          </p>
        ) : (
          <p className="hint" id={`scaling-${id}-hint`}>
            Fitted on the training split only; the training panel starts from it.
          </p>
        )}
      </div>
      {!labelFixed ? (
        <>
          <div className="field">
            <label htmlFor={`header-${id}`}>First line</label>
            <select id={`header-${id}`} name="header" defaultValue={reading.header ?? 'auto'} aria-describedby={`header-${id}-hint`}>
              {HEADER_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <p className="hint" id={`header-${id}-hint`}>
              Detected: names when a column is text there and numbers below, or scikit-learn&apos;s count line.
            </p>
          </div>
          <div className="field">
            <label htmlFor={`missing-${id}`}>Missing values</label>
            <MissingPolicySelect id={`missing-${id}`} name="missing" value={reading.missing} />
          </div>
          <div className="field">
            <label htmlFor={`encoding-${id}`}>Categorical encoding</label>
            <select id={`encoding-${id}`} name="categoricalEncoding" defaultValue={reading.categoricalEncoding}>
              {ENCODING_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        </>
      ) : null}
      {typed ? (
        <fieldset className="field column-types">
          <legend>Column types</legend>
          {columnNames.map((name, c) =>
            c === labelColumn ? null : (
              <label key={c} className="column-type">
                <span>{name}</span>
                <select name={`columnType-${c}`} defaultValue={reading.columnTypes[c] ?? 'auto'} aria-label={`Type of ${name}`}>
                  <option value="auto">Detected{detectedTypes[c] ? ` (${detectedTypes[c]})` : ''}</option>
                  {COLUMN_TYPE_OPTIONS.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
            ),
          )}
        </fieldset>
      ) : null}
      {fieldError ? (
        <p className="field-error" role="alert">
          {fieldError}
        </p>
      ) : null}
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
