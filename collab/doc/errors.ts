export type CollabDocErrorCode = 'DUPLICATE_NODE_ID' | 'DUPLICATE_EDGE_ID' | 'INVALID_VALUE' | 'INVALID_ID';

/** A caller mistake (not a race with another peer: those are tolerated and reported as `false`). */
export class CollabDocError extends Error {
  constructor(
    readonly code: CollabDocErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CollabDocError';
  }
}
