'use client';

import { useQuery } from '@tanstack/react-query';
import { messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Loading } from '../ui/Spinner';
import { ModelRow } from './ModelRow';
import { NewModelForm } from './NewModelForm';

export function ModelList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  return (
    <>
      <NewModelForm />
      {models.isPending ? <Loading label="Loading models…" /> : null}
      {models.isError ? <p className="form-error" role="alert">{messageOf(models.error)}</p> : null}
      {models.data?.length === 0 ? (
        <EmptyState title="No models yet">Create one above (start from a template to train right away), or ask a colleague to share theirs with you.</EmptyState>
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
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.data.map((m) => (
              <ModelRow key={m.id} model={m} />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
