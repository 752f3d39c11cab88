'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { relativeTime } from '../ui/relative-time';
import { messageOf, useTRPC } from '../trpc/client';
import { GraphPreview } from './GraphPreview';

interface VersionRow {
  id: string;
  name: string;
  authorId: string;
  authorName: string;
  createdAt: string;
  nodes: number;
  edges: number;
}

const layers = (n: number) => `${n} layer${n === 1 ? '' : 's'}`;

/**
 * The model's named versions, in the inspector: save the model as it is now under a name, browse
 * the list, open one read-only, and restore it: the version's graph comes back as a new change
 * that everyone in the room sees (the history goes on; nothing is reset). Viewers browse and view.
 */
export function VersionsPanel({ modelId, readOnly, userId }: { modelId: string; readOnly: boolean; userId: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.versions.list.queryOptions({ modelId }));
  // Shares the editor header's query: no extra request, and it says whether I own the model.
  const model = useQuery(trpc.models.get.queryOptions({ id: modelId }));
  const [name, setName] = useState('');
  const [viewing, setViewing] = useState<VersionRow | null>(null);
  const [restoring, setRestoring] = useState<VersionRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.versions.list.queryKey({ modelId }) });

  const save = useMutation(
    trpc.versions.save.mutationOptions({
      onSuccess: (v) => {
        setName('');
        setNotice(`Saved “${v.name}”.`);
        void refresh();
      },
    }),
  );
  const restore = useMutation(
    trpc.versions.restore.mutationOptions({
      onSuccess: (r) => {
        setRestoring(null);
        setViewing(null);
        setNotice(r.changed ? `Restored “${r.version.name}” for everyone in the model.` : `The model already matches “${r.version.name}”.`);
      },
    }),
  );
  const remove = useMutation(trpc.versions.delete.mutationOptions({ onSuccess: () => void refresh() }));

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    save.mutate({ modelId, name });
  };
  const isOwner = model.data?.role === 'owner';

  return (
    <section className="side-section versions-panel" aria-labelledby="versions-heading" data-testid="versions-panel">
      <h2 id="versions-heading">
        Versions
        <button type="button" className="link-button versions-refresh" onClick={() => void refresh()} disabled={list.isFetching} aria-label="Refresh the versions list">
          {list.isFetching ? 'Refreshing…' : 'Refresh'}
        </button>
      </h2>
      {readOnly ? null : (
        <form className="versions-save" onSubmit={onSave}>
          <label htmlFor="version-name" className="visually-hidden">
            Version name
          </label>
          <input id="version-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Name this version, e.g. Baseline" maxLength={80} aria-invalid={save.isError || undefined} aria-describedby={save.isError ? 'version-save-error' : undefined} />
          <button type="submit" className="button secondary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save version'}
          </button>
        </form>
      )}
      {save.isError ? (
        <p className="form-error" id="version-save-error" role="alert">
          {messageOf(save.error)}
        </p>
      ) : null}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      {remove.isError ? <p className="form-error" role="alert">{messageOf(remove.error)}</p> : null}
      {list.isPending ? (
        <p className="muted">Loading versions…</p>
      ) : list.isError ? (
        <p className="form-error" role="alert">{messageOf(list.error)}</p>
      ) : list.data.length === 0 ? (
        <p className="muted">{readOnly ? 'No named versions yet.' : 'No named versions yet. Save one before a big change, to come back to it later.'}</p>
      ) : (
        <ul className="versions-list" aria-label="Named versions">
          {list.data.map((v) => (
            <li key={v.id} className="versions-row" data-testid="version-row">
              <div className="versions-row-text">
                <span className="versions-name">{v.name}</span>
                <span className="muted versions-meta">
                  {v.authorName} · <time dateTime={v.createdAt} title={new Date(v.createdAt).toLocaleString()}>{relativeTime(v.createdAt)}</time> · {layers(v.nodes)}
                </span>
              </div>
              <div className="versions-row-actions">
                <button type="button" className="link-button" onClick={() => setViewing(v)} aria-label={`View ${v.name}`}>
                  View
                </button>
                {readOnly ? null : (
                  <button type="button" className="link-button" onClick={() => setRestoring(v)} aria-label={`Restore ${v.name}`}>
                    Restore
                  </button>
                )}
                {!readOnly && (isOwner || v.authorId === userId) ? (
                  <button type="button" className="link-button danger" onClick={() => remove.mutate({ modelId, versionId: v.id })} disabled={remove.isPending} aria-label={`Delete ${v.name}`}>
                    Delete
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {viewing ? <VersionViewer modelId={modelId} version={viewing} readOnly={readOnly} onRestore={() => setRestoring(viewing)} onClose={() => setViewing(null)} /> : null}
      {restoring ? (
        <ConfirmDialog
          title={`Restore “${restoring.name}”?`}
          confirmLabel="Restore for everyone"
          pending={restore.isPending}
          error={restore.isError ? messageOf(restore.error) : null}
          onConfirm={() => restore.mutate({ modelId, versionId: restoring.id })}
          onCancel={() => {
            restore.reset();
            setRestoring(null);
          }}
        >
          The model will change back to this version for everyone who has it open. To keep what is there now, save it as a version first.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

/** One version drawn read-only in a modal, with its name, author and time. */
function VersionViewer({ modelId, version, readOnly, onRestore, onClose }: { modelId: string; version: VersionRow; readOnly: boolean; onRestore: () => void; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.versions.get.queryOptions({ modelId, versionId: version.id }));
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <div className="dialog version-viewer" role="dialog" aria-modal="true" aria-labelledby="version-viewer-title" data-testid="version-viewer">
        <header className="version-viewer-header">
          <div>
            <h2 id="version-viewer-title">{version.name}</h2>
            <p className="muted">
              Saved by {version.authorName} {relativeTime(version.createdAt)} · {layers(version.nodes)}, {version.edges} connection{version.edges === 1 ? '' : 's'} · read-only
            </p>
          </div>
          <div className="version-viewer-actions">
            {readOnly ? null : (
              <button type="button" className="button primary" onClick={onRestore}>
                Restore this version
              </button>
            )}
            <button type="button" className="button secondary" onClick={onClose} ref={close}>
              Close
            </button>
          </div>
        </header>
        <div className="version-viewer-canvas">
          {detail.isPending ? (
            <p className="muted">Loading the version…</p>
          ) : detail.isError ? (
            <p className="form-error" role="alert">{messageOf(detail.error)}</p>
          ) : (
            <GraphPreview graph={detail.data.snapshot.graph} layout={detail.data.snapshot.layout} label={`Version ${version.name}, read-only`} testId="version-preview" />
          )}
        </div>
      </div>
    </div>
  );
}
