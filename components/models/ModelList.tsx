'use client';

import { useQuery } from '@tanstack/react-query';
import { messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Loading } from '../ui/Spinner';

export function ModelList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  if (models.isPending) return <Loading label="Loading models…" />;
  if (models.isError) return <p className="form-error" role="alert">{messageOf(models.error)}</p>;
  if (models.data.length === 0) {
    return (
      <EmptyState title="No models yet">
        Models you create, and models people share with you, appear here. The editor for designing them is on its way.
      </EmptyState>
    );
  }
  return (
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
            <td>{m.name}</td>
            <td>{m.mine ? 'you' : m.owner}</td>
            <td>{m.collaborators}</td>
            <td>{new Date(m.updatedAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
