'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { EmptyState } from '../ui/EmptyState';
import { Loading } from '../ui/Spinner';
import { DatasetDetail } from './DatasetDetail';
import { DatasetUpload } from './DatasetUpload';
import { formatBytes } from '../ui/format-bytes';

/** Upload, list (mine and the built-in synthetic sets) and inspect datasets. */
export function DatasetLibrary() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useInfiniteQuery(trpc.datasets.list.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor }));
  const [selected, setSelected] = useState<string | null>(null);
  const mine = list.data?.pages.flatMap((page) => page.mine) ?? [];
  const builtin = list.data?.pages[0]?.builtin ?? [];

  async function onUploaded(id: string) {
    // Every list of datasets: these pages and the training panel's picker.
    await queryClient.invalidateQueries({ queryKey: trpc.datasets.list.pathKey() });
    setSelected(id);
  }

  return (
    <>
      <DatasetUpload onUploaded={(id) => void onUploaded(id)} />
      {selected ? <DatasetDetail key={selected} id={selected} onDeleted={() => setSelected(null)} /> : null}
      {list.isPending ? <Loading label="Loading datasets…" /> : null}
      {list.isError ? <p className="form-error" role="alert">{messageOf(list.error)}</p> : null}
      {list.data ? (
        <>
          <h2>Your datasets</h2>
          {mine.length === 0 ? (
            <EmptyState title="No datasets yet">Drop a CSV above (for example the 8×8 digits), or start with a built-in set below.</EmptyState>
          ) : (
            <table className="table">
              <caption className="visually-hidden">Your datasets</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Format</th>
                  <th scope="col">Rows × columns</th>
                  <th scope="col">Classes</th>
                  <th scope="col">Size</th>
                  <th scope="col">Uploaded</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((d) => (
                  <tr key={d.id} aria-selected={selected === d.id}>
                    <td>
                      <button type="button" className="link-button" onClick={() => setSelected(d.id)} aria-pressed={selected === d.id}>
                        {d.name}
                      </button>
                    </td>
                    <td>{d.kind.toUpperCase()}</td>
                    <td>
                      {d.rows.toLocaleString('en-US')} × {d.columns}
                    </td>
                    <td>{d.numClasses ?? '—'}</td>
                    <td>{formatBytes(d.bytes)}</td>
                    <td>{new Date(d.createdAt).toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {list.hasNextPage ? (
            <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? 'Loading…' : 'Load more datasets'}
            </button>
          ) : null}
          <h2>Built-in datasets</h2>
          <ul className="cards">
            {builtin.map((b) => (
              <li key={b.id}>
                <button type="button" className="card builtin-card" onClick={() => setSelected(b.id)} aria-pressed={selected === b.id}>
                  <strong>{b.name}</strong>
                  <span className="muted">
                    {b.rows} rows, {b.numClasses} classes
                  </span>
                  <span className="hint">{b.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
