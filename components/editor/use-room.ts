'use client';

import { TRPCClientError } from '@trpc/client';
import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CanvasSession, RoomConnection, initLocalPresence, type RoomStatus } from '@/collab/client';
import { installDanglingEdgeCleanup } from '@/collab/doc';
import { messageOf, useTRPCClient } from '../trpc/client';

export interface Room {
  doc: Y.Doc;
  awareness: Awareness;
  session: CanvasSession;
  connection: RoomConnection;
}

export type Role = 'owner' | 'editor' | 'viewer';

/** Joins the model's room for as long as the editor is open. */
export function useRoom(modelId: string) {
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
