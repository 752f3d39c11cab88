import { useCallback, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { FlowGraph } from './flow-types';
import { flowStoreFor } from './flow-store';
import { localStoreFor, type LocalFlowStore } from './local-state';
import type { Peer } from './presence';
import { presenceStoreFor } from './presence-store';
import type { UndoController } from './undo';

/**
 * React Flow nodes and edges for a document, re-rendering on every document or local-state
 * change. Pass the session's `local` store (it defaults to the document's shared one, which is
 * also CanvasSession's default).
 */
export function useCollabGraph(doc: Y.Doc, local: LocalFlowStore = localStoreFor(doc)): FlowGraph {
  const store = flowStoreFor(doc, local);
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

const NO_PEERS: readonly Peer[] = [];
const noSubscription = () => () => {};
const noPeers = () => NO_PEERS;

/** The other people in the room (cursor, selection, identity). Empty while there is no awareness. */
export function usePresence(awareness: Awareness | null): readonly Peer[] {
  const store = awareness ? presenceStoreFor(awareness) : null;
  return useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getSnapshot ?? noPeers, store?.getSnapshot ?? noPeers);
}

/** Whether undo / redo are available, for toolbar buttons. Encoded as one number so the snapshot is a primitive. */
export function useUndoState(undo: UndoController): { canUndo: boolean; canRedo: boolean } {
  const subscribe = useCallback((listener: () => void) => undo.subscribe(listener), [undo]);
  const read = () => (undo.canUndo() ? 1 : 0) | (undo.canRedo() ? 2 : 0);
  const bits = useSyncExternalStore(subscribe, read, read);
  return { canUndo: (bits & 1) !== 0, canRedo: (bits & 2) !== 0 };
}
