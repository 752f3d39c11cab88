'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { TRPCClientError } from '@trpc/client';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CanvasSession, RoomConnection, initLocalPresence, type RoomStatus } from '@/collab/client';
import { usePresence } from '@/collab/client/hooks';
import { addNode, installDanglingEdgeCleanup, newId } from '@/collab/doc';
import { getLayer, parseLayerParams } from '@/compute/layers';
import { messageOf, useTRPC, useTRPCClient } from '../trpc/client';
import { Loading } from '../ui/Spinner';
import { Canvas } from './Canvas';
import { Palette } from './Palette';
import { PresenceBar } from './PresenceBar';
import { SharePanel } from './SharePanel';

interface Room {
  doc: Y.Doc;
  awareness: Awareness;
  session: CanvasSession;
  connection: RoomConnection;
}

type Role = 'owner' | 'editor' | 'viewer';

/** Joins the model's room for as long as the editor is open. */
function useRoom(modelId: string) {
  const client = useTRPCClient();
  const [room, setRoom] = useState<Room | null>(null);
  const [status, setStatus] = useState<RoomStatus>('connecting');
  const [detail, setDetail] = useState<string | null>(null);
  const [role, setRole] = useState<Role | null>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    const connection = new RoomConnection({
      origin: window.location.origin,
      modelId,
      doc,
      getTicket: async () => {
        try {
          const ticket = await client.collab.ticket.mutate({ modelId });
          setRole(ticket.role);
          return ticket.ticket;
        } catch (error) {
          const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
          throw code === 'NOT_FOUND' || code === 'FORBIDDEN' || code === 'UNAUTHORIZED' ? Object.assign(new Error(messageOf(error)), { denied: true }) : error;
        }
      },
      onStatus: (next, why) => {
        setStatus(next);
        setDetail(why ?? null);
      },
    });
    const awareness = connection.provider.awareness;
    initLocalPresence(awareness);
    const session = new CanvasSession(doc, { awareness });
    const stopCleanup = installDanglingEdgeCleanup(doc);
    const offline = () => connection.pause();
    const online = () => connection.resume();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    connection.start();
    // The room is an external resource (a socket) that lives exactly as long as this effect.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setRoom({ doc, awareness, session, connection });
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      stopCleanup();
      session.destroy();
      connection.destroy();
      doc.destroy();
    };
  }, [client, modelId]);

  return { room, status, detail, role };
}

/** The first spot near `wanted` that no other node occupies, so new layers never hide each other. */
function freeSpot(wanted: { x: number; y: number }, taken: { x: number; y: number }[]): { x: number; y: number } {
  const spot = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  for (let i = 0; i < 50 && taken.some((p) => Math.abs(p.x - spot.x) < 150 && Math.abs(p.y - spot.y) < 60); i++) spot.y += 70;
  return spot;
}

function EditorBody({ room, readOnly }: { room: Room; readOnly: boolean }) {
  const flow = useReactFlow();
  const add = (type: string) => {
    const spec = getLayer(type);
    if (!spec) return;
    const parsed = parseLayerParams(spec, {});
    const canvas = document.querySelector('.canvas')?.getBoundingClientRect();
    const center = canvas ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
    addNode(room.doc, { id: newId('n'), type, position: freeSpot(center, flow.getNodes().map((n) => n.position)), params: parsed.ok ? parsed.params : {} }, room.session.origin);
  };
  return (
    <div className="editor-body">
      <Palette onAdd={add} disabled={readOnly} />
      <Canvas session={room.session} awareness={room.awareness} readOnly={readOnly} />
    </div>
  );
}

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
        <PresenceBar peers={peers} status={status} role={effectiveRole} />
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
      ) : null}
      {sharing ? <SharePanel modelId={modelId} onClose={() => setSharing(false)} /> : null}
      {room ? (
        <ReactFlowProvider>
          <EditorBody room={room} readOnly={effectiveRole === 'viewer' || status === 'denied'} />
        </ReactFlowProvider>
      ) : (
        <Loading label="Joining the room…" />
      )}
    </div>
  );
}
