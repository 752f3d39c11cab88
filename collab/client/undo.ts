import * as Y from 'yjs';
import { edgesMap, metaMap, nodesMap } from '../doc/schema';

/** Edits closer together than this merge into one undo step (typing in a param field, say). */
export const UNDO_CAPTURE_TIMEOUT_MS = 500;

/**
 * Inside a gesture every write merges into one step, however long the user pauses mid-drag.
 * Finite on purpose: Y.UndoManager merges when `now - lastChange < captureTimeout`, and after
 * stopCapturing() lastChange is 0, so an infinite window would also swallow the next gesture.
 */
const GESTURE_CAPTURE_MS = 24 * 60 * 60 * 1000;

export interface UndoController {
  readonly manager: Y.UndoManager;
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Start of a drag (or any multi-write gesture): the following writes become one undo step. */
  beginGesture(): void;
  /** End of the gesture: the next write starts a new step. */
  endGesture(): void;
  /** Clears the history (e.g. after loading a template for everyone). */
  clear(): void;
  /** Called when the stacks change, for enabling undo/redo buttons. */
  subscribe(listener: () => void): () => void;
  destroy(): void;
}

/**
 * Per-user undo: Y.UndoManager scoped to this session's origin only (trackedOrigins), so undo
 * reverts my edits and never a peer's, even when they touched the same node. Remote edits are
 * also never overwritten by my undo (Yjs leaves map keys a peer changed since alone).
 */
export function createUndoController(doc: Y.Doc, origin: unknown, options: { captureTimeoutMs?: number } = {}): UndoController {
  const captureTimeout = options.captureTimeoutMs ?? UNDO_CAPTURE_TIMEOUT_MS;
  const manager = new Y.UndoManager([nodesMap(doc), edgesMap(doc), metaMap(doc)], {
    trackedOrigins: new Set([origin]),
    captureTimeout,
  });
  const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared', 'stack-item-updated'] as const;
  let inGesture = false;
  return {
    manager,
    undo: () => manager.undo() !== null,
    redo: () => manager.redo() !== null,
    canUndo: () => manager.canUndo(),
    canRedo: () => manager.canRedo(),
    beginGesture() {
      manager.stopCapturing();
      manager.captureTimeout = GESTURE_CAPTURE_MS;
      inGesture = true;
    },
    endGesture() {
      if (!inGesture) return;
      inGesture = false;
      manager.captureTimeout = captureTimeout;
      manager.stopCapturing();
    },
    clear: () => manager.clear(),
    subscribe(listener) {
      for (const e of events) manager.on(e, listener);
      return () => {
        for (const e of events) manager.off(e, listener);
      };
    },
    destroy: () => manager.destroy(),
  };
}
