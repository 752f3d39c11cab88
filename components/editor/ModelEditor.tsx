'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useState } from 'react';
import { usePresence } from '@/collab/client/hooks';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';
import { EditorWorkspace } from './EditorWorkspace';
import { PresenceBar } from './PresenceBar';
import { SharePanel } from './SharePanel';
import { useRoom } from './use-room';

/**
 * The model editor page: header (name, presence, sharing) over the workspace. The workspace's
 * layout (EditorLayout) has a `sidePanels` area in its right-hand column; the training panel
 * mounts there, in EditorWorkspace.
 */
export function ModelEditor({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const model = useQuery(trpc.models.get.queryOptions({ id: modelId }));
  const { room, status, detail, role } = useRoom(modelId);
  const peers = usePresence(room?.awareness ?? null);
  const [sharing, setSharing] = useState(false);

  if (model.isPending) return <Loading label="Opening the model…" />;
  if (model.isError) {
    return (
      <div className="editor-error">
        <p className="form-error" role="alert">{messageOf(model.error)}</p>
        <Link href="/models">Back to models</Link>
      </div>
    );
  }
  const effectiveRole = role ?? model.data.role;
  return (
    <div className="editor">
      <header className="editor-header">
        <h1>{model.data.name}</h1>
        <PresenceBar peers={peers} status={status} role={effectiveRole} awareness={room?.awareness ?? null} />
        {effectiveRole === 'owner' ? (
          <button type="button" className="button secondary" onClick={() => setSharing((s) => !s)} aria-expanded={sharing}>
            Share
          </button>
        ) : null}
      </header>
      {status === 'denied' ? (
        <p className="form-error" role="alert">
          {detail ?? 'You no longer have access to this model.'} <Link href="/models">Back to models</Link>
        </p>
      ) : status === 'offline' && detail ? (
        <p className="form-error" role="alert">
          {detail}
        </p>
      ) : null}
      {sharing ? <SharePanel modelId={modelId} onClose={() => setSharing(false)} /> : null}
      {room ? (
        <ReactFlowProvider>
          <EditorWorkspace modelId={modelId} room={room} status={status} readOnly={effectiveRole === 'viewer' || status === 'denied'} />
        </ReactFlowProvider>
      ) : (
        <Loading label="Joining the room…" />
      )}
    </div>
  );
}
