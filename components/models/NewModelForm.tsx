'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { Field } from '../ui/Field';

type TemplateId = 'mlp' | 'cnn' | 'residual';

/** A blank model, or one that starts from a template; it opens in the editor once made. */
export function NewModelForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const templates = useQuery(trpc.models.templates.queryOptions());
  const create = useMutation(trpc.models.create.mutationOptions({ onSuccess: ({ id }) => router.push(`/models/${id}`) }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const template = String(form.get('template') ?? '');
    create.mutate({ name: String(form.get('name') ?? ''), ...(template ? { template: template as TemplateId } : {}) });
  };
  const errors = create.isError ? fieldErrorsOf(create.error) : {};
  const otherError = create.isError && !errors.name && !errors.template ? messageOf(create.error) : undefined;
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="New model">
      <Field label="New model name" name="name" placeholder="e.g. Digits classifier" maxLength={100} error={errors.name ?? otherError} />
      <div className="field">
        <label htmlFor="new-model-template">Start from</label>
        <select id="new-model-template" name="template" defaultValue="" aria-describedby={errors.template ? 'new-model-template-error' : undefined}>
          <option value="">Blank canvas</option>
          {templates.data?.map((t) => (
            <option key={t.id} value={t.id} title={t.description}>
              {t.name}
            </option>
          ))}
        </select>
        {errors.template ? (
          <p className="field-error" id="new-model-template-error" role="alert">
            {errors.template}
          </p>
        ) : null}
      </div>
      <button className="button primary" type="submit" disabled={create.isPending}>
        {create.isPending ? 'Creating…' : 'Create model'}
      </button>
    </form>
  );
}
