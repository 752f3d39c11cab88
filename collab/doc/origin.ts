/**
 * Transaction origins. Y.UndoManager decides what a user may undo by the origin of each
 * transaction, so every local edit must carry its session's own origin object (compared by
 * identity), and the automatic clean-up carries one no undo manager tracks.
 */
export class CollabOrigin {
  constructor(readonly label: string) {}
}

export function createLocalOrigin(label = 'local'): CollabOrigin {
  return new CollabOrigin(label);
}

/** Origin of the dangling-edge sweep: never tracked, so nobody can "undo" a clean-up. */
export const CLEANUP_ORIGIN = new CollabOrigin('dangling-edge-cleanup');
