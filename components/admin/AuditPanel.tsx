'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, type AuditAction } from '@/server/audit/actions';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';

interface Filter {
  action?: AuditAction;
  actorId?: string;
}

/** The append-only audit log, newest first: filters by action and actor, more on demand, CSV. */
export function AuditPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<Filter>({});
  const log = useInfiniteQuery(trpc.admin.audit.list.infiniteQueryOptions({ ...filter, limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const [download, setDownload] = useState<{ pending: boolean; error: string | null; note: string | null }>({ pending: false, error: null, note: null });

  function onFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const action = String(form.get('action') ?? '');
    const actorId = String(form.get('actorId') ?? '').trim();
    setFilter({ action: (AUDIT_ACTIONS as readonly string[]).includes(action) ? (action as AuditAction) : undefined, actorId: actorId || undefined });
  }

  async function onDownload() {
    setDownload({ pending: true, error: null, note: null });
    try {
      const result = await queryClient.fetchQuery({ ...trpc.admin.audit.csv.queryOptions(filter), staleTime: 0 });
      const url = URL.createObjectURL(new Blob([result.csv], { type: 'text/csv' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `audit-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}.csv`;
      a.click();
      URL.revokeObjectURL(url);
      setDownload({ pending: false, error: null, note: result.truncated ? `Only the newest ${result.rows.toLocaleString()} entries fit in one file; narrow the filters for older ones.` : `${result.rows.toLocaleString()} entries.` });
    } catch (error) {
      setDownload({ pending: false, error: messageOf(error), note: null });
    }
  }

  const rows = log.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <p className="hint">Every admin action and security event, as it happened. Entries cannot be edited or deleted.</p>
      <form className="inline-form" onSubmit={onFilter} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue="">
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Actor (user id)</label>
          <input id="audit-actor" name="actorId" maxLength={64} placeholder="e.g. from the Users page" />
        </div>
        <button type="submit" className="button primary">
          Filter
        </button>
        <button type="button" className="button secondary" onClick={onDownload} disabled={download.pending}>
          {download.pending ? 'Preparing…' : 'Download CSV'}
        </button>
      </form>
      {download.error ? (
        <p className="form-error" role="alert">
          {download.error}
        </p>
      ) : null}
      {download.note ? <p role="status">{download.note}</p> : null}
      {log.isPending ? <Loading label="Loading the audit log…" /> : null}
      {log.isError ? (
        <p className="form-error" role="alert">
          {messageOf(log.error)}
        </p>
      ) : null}
      {log.isSuccess && rows.length === 0 ? <p role="status">No entries match these filters.</p> : null}
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table" aria-label="Audit entries">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Actor</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{new Date(r.at).toLocaleString()}</td>
                  <td title={r.actorId ?? undefined}>{r.actor ?? (r.actorId ? r.actorId : '—')}</td>
                  <td>{r.action}</td>
                  <td>{r.target ?? '—'}</td>
                  <td>{r.reason ?? '—'}</td>
                  <td>{r.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {log.hasNextPage ? (
        <p>
          <button type="button" className="button secondary" disabled={log.isFetchingNextPage} onClick={() => log.fetchNextPage()}>
            {log.isFetchingNextPage ? 'Loading…' : 'Older entries'}
          </button>
        </p>
      ) : null}
    </section>
  );
}
