const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * What one client may cost the collaboration server. Every value can be overridden through
 * CollabServerOptions (tests use tiny ones).
 */
export const COLLAB_LIMITS = {
  /**
   * Largest message a client may send. A client's largest legitimate message is the sync step 2
   * it sends on (re)connect, i.e. its edits the server has not seen yet; 2 MiB is thousands of
   * layers. The server's own replies (a whole document to a newcomer) are not bounded by this.
   */
  maxMessageBytes: 2 * MiB,
  /** Bytes per second one socket may send, sustained, and its burst (at least one largest message). */
  connectionBytesPerSecond: 256 * KiB,
  connectionBytesBurst: 4 * MiB,
  /** The same for one user across all their sockets in all rooms. */
  userBytesPerSecond: 512 * KiB,
  userBytesBurst: 8 * MiB,
  /**
   * A room's document, encoded, may not grow past this: well under MongoDB's 16 MB document limit,
   * so its snapshot always persists.
   */
  maxDocumentBytes: 8 * MiB,
  /** Pending updates are written as appends of at most this many bytes each. */
  maxAppendBytes: 4 * MiB,
  /** Open sockets per user across the server, and sockets one ticket may ever open. */
  maxSocketsPerUser: 20,
  maxSocketsPerTicket: 8,
} as const;

export type CollabLimits = { -readonly [K in keyof typeof COLLAB_LIMITS]: number };

/**
 * Above this a BSON document is refused by MongoDB (16 MiB, less room for the other fields): the
 * store refuses to build one rather than send it.
 */
export const MAX_STORED_BINARY_BYTES = 15 * MiB;

/** Throws on limits that contradict each other, e.g. a byte burst smaller than one allowed message. */
export function checkLimits(limits: CollabLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`collab limit ${name} must be a positive number, got ${value}`);
  }
  if (limits.connectionBytesBurst < limits.maxMessageBytes || limits.userBytesBurst < limits.maxMessageBytes) {
    throw new Error('collab byte bursts must be at least maxMessageBytes, or a message the server accepts could never pass');
  }
  if (limits.maxAppendBytes > MAX_STORED_BINARY_BYTES || limits.maxDocumentBytes > MAX_STORED_BINARY_BYTES) {
    throw new Error(`collab maxAppendBytes and maxDocumentBytes must stay under ${MAX_STORED_BINARY_BYTES} bytes (MongoDB's document limit)`);
  }
}
