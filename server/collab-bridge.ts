import type * as Y from 'yjs';
import type { CollabServer } from '../collab/server/collab-server';

/**
 * The collaboration server runs in the HTTP server process, outside Next's bundles; routers reach it
 * through this process-wide slot (e.g. to disconnect a user whose access was revoked). With several
 * web processes this becomes a message to the process that owns the room (see README, scale-out).
 */
type Bridged = Pick<CollabServer, 'disconnectUser' | 'disconnectUserEverywhere' | 'closeRoom'> & Partial<Pick<CollabServer, 'stats' | 'documentState' | 'changeDocument'>>;
const slot = globalThis as unknown as { __cyxwizCollab?: Bridged };

export function registerCollabServer(server: Bridged | undefined): void {
  slot.__cyxwizCollab = server;
}

export async function disconnectFromModel(modelId: string, userId: string): Promise<number> {
  return (await slot.__cyxwizCollab?.disconnectUser(modelId, userId)) ?? 0;
}

/** Closes a user's sockets in every room (their account was disabled); returns how many were closed. */
export async function disconnectUserEverywhere(userId: string): Promise<number> {
  return (await slot.__cyxwizCollab?.disconnectUserEverywhere(userId)) ?? 0;
}

/** Closes everyone's sockets in a model's room (the model is gone); returns how many were closed. */
export async function closeModelRoom(modelId: string): Promise<number> {
  return (await slot.__cyxwizCollab?.closeRoom(modelId)) ?? 0;
}

/** Rooms and sockets of this process's collaboration server (the admin health page); null when none runs here. */
export function collabStats(): { rooms: number; connections: number; unloading: number } | null {
  return slot.__cyxwizCollab?.stats?.() ?? null;
}

/** The model's live document, encoded; null when no collaboration server runs in this process. */
export async function modelDocumentState(modelId: string): Promise<Uint8Array | null> {
  const server = slot.__cyxwizCollab;
  return server?.documentState ? server.documentState(modelId) : null;
}

/**
 * Applies a change to the model's live document as one update everyone in its room sees (see
 * CollabServer.changeDocument); null when no collaboration server runs in this process.
 */
export async function changeModelDocument(modelId: string, change: (doc: Y.Doc) => void, origin: unknown): Promise<boolean | null> {
  const server = slot.__cyxwizCollab;
  return server?.changeDocument ? server.changeDocument(modelId, change, origin) : null;
}
