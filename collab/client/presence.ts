import type { Awareness } from 'y-protocols/awareness';
import { isXY } from '../doc/json';
import type { XY } from '../doc/schema';

/**
 * Presence rides on y-protocols awareness. Field contract (see collab/README.md):
 *   user       { id, name, color } — written by the SERVER from the authenticated session;
 *              whatever a client puts there is overwritten, so clients need not send it.
 *   cursor     { x, y } in flow (canvas) coordinates, or null when the pointer is off the canvas.
 *   selection  ids of the nodes this client has selected.
 */
export interface PresenceUser {
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

export interface PresenceState {
  readonly user: PresenceUser | null;
  readonly cursor: XY | null;
  readonly selection: readonly string[];
}

export interface Peer extends PresenceState {
  readonly clientId: number;
  readonly user: PresenceUser;
}

/** Remote state is untrusted input: anything malformed is dropped field by field. */
export function readPresenceState(raw: unknown): PresenceState {
  const s = (raw ?? {}) as { user?: Partial<PresenceUser>; cursor?: unknown; selection?: unknown };
  const u = s.user;
  const user =
    u && typeof u === 'object' && typeof u.id === 'string' && typeof u.name === 'string' && typeof u.color === 'string'
      ? { id: u.id, name: u.name, color: u.color }
      : null;
  const cursor = isXY(s.cursor) ? { x: s.cursor.x, y: s.cursor.y } : null;
  const selection = Array.isArray(s.selection) ? s.selection.filter((x): x is string => typeof x === 'string') : [];
  return { user, cursor, selection };
}

function localState(awareness: Awareness): Record<string, unknown> {
  return awareness.getLocalState() ?? { cursor: null, selection: [] };
}

/** Announces this client with an empty cursor and selection. `user` is optional: the server sets it. */
export function initLocalPresence(awareness: Awareness, user: PresenceUser | null = null): void {
  awareness.setLocalState({ ...(user ? { user } : {}), cursor: null, selection: [] });
}

export function setPresenceCursor(awareness: Awareness, cursor: XY | null): void {
  const state = localState(awareness);
  const prev = state.cursor as XY | null | undefined;
  const next = cursor ? { x: cursor.x, y: cursor.y } : null;
  if (prev === next || (prev && next && prev.x === next.x && prev.y === next.y)) return;
  awareness.setLocalState({ ...state, cursor: next });
}

export function setPresenceSelection(awareness: Awareness, nodeIds: Iterable<string>): void {
  const state = localState(awareness);
  const next = [...new Set(nodeIds)].sort();
  const prev = Array.isArray(state.selection) ? (state.selection as unknown[]) : null;
  if (prev && prev.length === next.length && prev.every((v, i) => v === next[i])) return;
  awareness.setLocalState({ ...state, selection: next });
}

/** Who else is here: every other client that has an identity, ordered by client id for a stable list. */
export function listPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  awareness.getStates().forEach((raw, clientId) => {
    if (clientId === awareness.clientID) return;
    const state = readPresenceState(raw);
    if (state.user) peers.push({ ...state, user: state.user, clientId });
  });
  return peers.sort((a, b) => a.clientId - b.clientId);
}
