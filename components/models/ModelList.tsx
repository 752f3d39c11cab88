'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Loading } from '../ui/Spinner';
import { ModelRow } from './ModelRow';
import { NewModelForm } from './NewModelForm';

const PAGE_SIZE = 50;

export function ModelList() {
  const trpc = useTRPC();
  const models = useInfiniteQuery(trpc.models.list.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }));
  const items = models.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <NewModelForm />
      {models.isPending ? <Loading label="Loading models…" /> : null}
      {models.isError && !models.isFetchNextPageError ? <p className="form-error" role="alert">{messageOf(models.error)}</p> : null}
      {models.isSuccess && items.length === 0 ? (
        <EmptyState title="No models yet">Create one above (start from a template to train right away), or ask a colleague to share theirs with you.</EmptyState>
      ) : null}
      {items.length > 0 ? (
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
            {items.map((m) => (
              <ModelRow key={m.id} model={m} />
            ))}
          </tbody>
        </table>
      ) : null}
      {models.hasNextPage ? (
        <button type="button" className="button" disabled={models.isFetchingNextPage} onClick={() => void models.fetchNextPage()}>
          {models.isFetchingNextPage ? 'Loading more…' : 'Load more'}
        </button>
      ) : null}
      {models.isFetchNextPageError ? (
        <p className="form-error" role="alert">
          {messageOf(models.error)}
        </p>
      ) : null}
    </>
  );
}
