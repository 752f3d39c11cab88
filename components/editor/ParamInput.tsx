'use client';

import { useId, useState } from 'react';
import { formatParam, parseParamInput, type ParamField } from './param-fields';

interface ParamInputProps {
  field: ParamField;
  /** The value in the document, or the default when the document has none. */
  value: unknown;
  /** Returns the schema's message for a candidate value, or null when it may be written. */
  check: (value: unknown) => string | null;
  /** Writes a valid value to the document. */
  onChange: (value: unknown) => void;
  /** A problem the graph validator reports for this parameter (e.g. a -1 used twice in a shape). */
  problem?: string | undefined;
}

/**
 * One parameter of the selected layer. While the user types, the text lives here (a draft) and
 * only values the schema accepts reach the shared document, so peers never see "0 units"; the
 * message appears at once. Leaving the field drops an invalid draft and shows the stored value.
 */
export function ParamInput({ field, value, check, onChange, problem }: ParamInputProps) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const message = error ?? problem ?? null;
  const describedBy = [field.description ? hintId : null, message ? errorId : null].filter(Boolean).join(' ') || undefined;

  const attempt = (candidate: unknown) => {
    const problemText = check(candidate);
    setError(problemText);
    if (problemText === null) onChange(candidate);
  };

  const onText = (text: string) => {
    setDraft(text);
    const parsed = parseParamInput(field, text);
    if (!parsed.ok) setError(parsed.message);
    else attempt(parsed.value);
  };

  const onBlur = () => {
    setDraft(null);
    setError(null);
  };

  let control;
  if (field.kind === 'boolean') {
    control = (
      <input id={id} type="checkbox" checked={value === true} aria-describedby={describedBy} onChange={(e) => attempt(e.target.checked)} />
    );
  } else if (field.kind === 'enum') {
    control = (
      <select id={id} value={String(value ?? '')} aria-describedby={describedBy} onChange={(e) => attempt(e.target.value)}>
        {field.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'number') {
    control = (
      <input
        id={id}
        type="number"
        inputMode={field.integer ? 'numeric' : 'decimal'}
        step={field.integer ? 1 : 'any'}
        min={field.min}
        max={field.max}
        value={draft ?? formatParam(field, value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onText(e.target.value)}
        onBlur={onBlur}
      />
    );
  } else {
    control = (
      <input
        id={id}
        type="text"
        inputMode={field.kind === 'list' ? 'numeric' : undefined}
        placeholder={field.kind === 'list' ? 'e.g. 28, 28, 1' : undefined}
        value={draft ?? formatParam(field, value)}
        aria-invalid={message ? true : undefined}
        aria-describedby={describedBy}
        onChange={(e) => onText(e.target.value)}
        onBlur={onBlur}
      />
    );
  }

  return (
    <div className={`field param-field param-${field.kind}`}>
      <label htmlFor={id}>{field.name}</label>
      {control}
      {message ? (
        <p id={errorId} className="field-error" role="alert">
          {message}
        </p>
      ) : null}
      {field.description ? (
        <p id={hintId} className="hint">
          {field.description}
        </p>
      ) : null}
    </div>
  );
}
