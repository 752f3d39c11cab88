import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { CLOSE } from '../close-codes';
import { guardAwarenessUpdate, roomColorFor, type PresenceIdentity } from './awareness-guard';
import { DocumentSize, DocumentTooLargeError } from './document-size';
import type { YjsStore } from './persistence';
import { TokenBucket } from './rate-limiter';
import { batchUpdates } from './update-batches';

// The y-websocket wire protocol's top-level message types.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

export { CLOSE };

export interface RoomOptions {
  /** Compact the update log into a snapshot after this many appended batches. */
  compactEvery: number;
  /** Updates arriving within this window are merged into one database write. */
  writeBatchMs: number;
  /** Messages per second per connection (sustained) and burst. */
  messageRate: number;
  messageBurst: number;
  /** Bytes per second per connection (sustained) and burst; the user's budget is passed to join(). */
  connectionBytesPerSecond: number;
  connectionBytesBurst: number;
  /** The encoded document may not grow past this; an update that would push it past is refused. */
  maxDocumentBytes: number;
  /** No single append to the update log is larger than this. */
  maxAppendBytes: number;
  /** Called (debounced) when the document changed, to refresh the model record's derived JSON. */
  onChanged(modelId: string, doc: Y.Doc): Promise<void>;
  changedDebounceMs: number;
  log(message: string, error?: unknown): void;
}

interface Connection {
  ws: WebSocket;
  identity: PresenceIdentity;
  readOnly: boolean;
  clientIds: Set<number>;
  bucket: TokenBucket;
  bytes: TokenBucket;
  /** Shared by all of this user's sockets, in every room. */
  userBytes: TokenBucket;
}

/**
 * One model's live document: the connections editing it, their presence, and the write-behind to
 * MongoDB. One process owns a room at a time.
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly conns = new Map<WebSocket, Connection>();
  private seq: number;
  private sinceCompact = 0;
  private writes: Promise<void> = Promise.resolve();
  private changedTimer: NodeJS.Timeout | null = null;
  private pending: Uint8Array[] = [];
  private pendingTimer: NodeJS.Timeout | null = null;
  private readonly size: DocumentSize;

  private constructor(
    readonly modelId: string,
    private readonly store: YjsStore,
    private readonly options: RoomOptions,
    lastSeq: number,
    storedBytes: number,
  ) {
    this.seq = lastSeq;
    this.size = new DocumentSize(this.doc, options.maxDocumentBytes, storedBytes);
    // The server holds no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Loads the room from its snapshot and update log; a model without either starts from `initial`. */
  static async load(modelId: string, store: YjsStore, options: RoomOptions, initial: () => Promise<Y.Doc | null>): Promise<Room> {
    const stored = await store.load(modelId);
    // What was stored, summed, is an upper bound on the document's size: no need to encode it now.
    const storedBytes = (stored.snapshot?.byteLength ?? 0) + stored.updates.reduce((n, u) => n + u.byteLength, 0);
    const room = new Room(modelId, store, options, stored.lastSeq, storedBytes);
    if (stored.snapshot || stored.updates.length > 0) {
      Y.transact(room.doc, () => {
        if (stored.snapshot) Y.applyUpdate(room.doc, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(room.doc, update);
      }, 'load');
    } else {
      const seeded = await initial();
      if (seeded) {
        // Built once here and persisted at once: every client then shares this one history.
        Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(seeded), 'load');
        const state = Y.encodeStateAsUpdate(room.doc);
        room.size.measured(state.byteLength);
        await store.compact(modelId, state, room.seq);
      }
    }
    return room;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  join(ws: WebSocket, joining: PresenceIdentity, userBytes: TokenBucket): void {
    // Everyone in a room gets a colour of their own, so two people's cursors never look alike.
    const identity = { ...joining, color: roomColorFor(joining.id, [...this.conns.values()].map((c) => c.identity)) };
    const conn: Connection = {
      ws,
      identity,
      readOnly: identity.role === 'viewer',
      clientIds: new Set(),
      bucket: new TokenBucket(this.options.messageRate, this.options.messageBurst),
      bytes: new TokenBucket(this.options.connectionBytesPerSecond, this.options.connectionBytesBurst),
      userBytes,
    };
    this.conns.set(ws, conn);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return this.close(conn, CLOSE.BAD_MESSAGE, 'binary messages only');
      this.onMessage(conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    ws.on('close', () => this.leave(conn));
    ws.on('error', () => this.leave(conn));

    const sync = encoding.createEncoder();
    encoding.writeVarUint(sync, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(sync, this.doc);
    this.send(conn, encoding.toUint8Array(sync));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  /** Closes every connection of one user (access revoked or role changed). */
  disconnectUser(userId: string, code: number = CLOSE.ACCESS_REVOKED, reason = 'access changed'): number {
    let closed = 0;
    for (const conn of this.conns.values()) {
      if (conn.identity.id === userId) {
        this.close(conn, code, reason);
        closed++;
      }
    }
    return closed;
  }

  closeAll(code: number, reason: string): void {
    for (const conn of [...this.conns.values()]) this.close(conn, code, reason);
  }

  /** Writes pending updates, folds them into a snapshot and refreshes the derived JSON. */
  async flush(): Promise<void> {
    if (this.changedTimer) {
      clearTimeout(this.changedTimer);
      this.changedTimer = null;
    }
    await this.compact();
    await this.options.onChanged(this.modelId, this.doc).catch((e: unknown) => this.options.log(`saving ${this.modelId} failed`, e));
  }

  /**
   * A change made by the server (restoring a named version): made on a copy first, so that its size
   * is checked before the live document takes it (an applied update cannot be taken back), then
   * applied as one update that every connection receives and the update log stores. Throws
   * DocumentTooLargeError over the cap; returns whether anything changed.
   */
  applyServerChange(change: (doc: Y.Doc) => void, origin: unknown): boolean {
    const copy = new Y.Doc();
    try {
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
      const before = Y.encodeStateVector(copy);
      let changed = false;
      copy.on('update', () => (changed = true));
      change(copy);
      if (!changed) return false;
      const update = Y.encodeStateAsUpdate(copy, before);
      if (!this.size.admit(update.byteLength)) throw new DocumentTooLargeError(this.size.maxBytes);
      Y.applyUpdate(this.doc, update, origin);
      return true;
    } finally {
      copy.destroy();
    }
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }

  private onMessage(conn: Connection, data: Uint8Array): void {
    if (!conn.bucket.take()) return this.close(conn, CLOSE.RATE_LIMITED, 'too many messages');
    // Only this socket is closed: the user's other sockets are closed when they, too, send over the budget.
    if (!conn.bytes.take(data.byteLength)) return this.close(conn, CLOSE.TOO_MUCH_DATA, 'too much data: this connection sends faster than allowed');
    if (!conn.userBytes.take(data.byteLength)) return this.close(conn, CLOSE.TOO_MUCH_DATA, 'too much data: your connections together send faster than allowed');
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) this.onSyncMessage(conn, decoder);
      else if (type === MESSAGE_AWARENESS) {
        const guarded = guardAwarenessUpdate(decoding.readVarUint8Array(decoder), conn.identity, (id) => this.claim(conn, id));
        if (guarded) awarenessProtocol.applyAwarenessUpdate(this.awareness, guarded.update, conn);
      } else if (type === MESSAGE_QUERY_AWARENESS) {
        this.send(conn, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
      }
    } catch (error) {
      this.options.log(`bad message in room ${this.modelId}`, error);
      this.close(conn, CLOSE.BAD_MESSAGE, 'malformed message');
    }
  }

  private onSyncMessage(conn: Connection, decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MESSAGE_SYNC);
      syncProtocol.readSyncStep1(decoder, reply, this.doc);
      this.send(conn, encoding.toUint8Array(reply));
      return;
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) throw new Error(`unknown sync message type ${step}`);
    // Viewers may ask for the document (step 1) but whatever they send back is dropped.
    if (conn.readOnly) return;
    const update = decoding.readVarUint8Array(decoder);
    // Checked before applying: an applied Yjs update cannot be taken back.
    if (!this.size.admit(update.byteLength)) {
      this.options.log(`refused a ${update.byteLength}-byte update to ${this.modelId}: the document would pass ${this.size.maxBytes} bytes`);
      return this.close(conn, CLOSE.DOCUMENT_TOO_LARGE, `document too large: a model may hold at most ${this.size.maxBytes} bytes`);
    }
    Y.applyUpdate(this.doc, update, conn);
  }

  /** A connection speaks for one awareness client id, and nobody else may use it. */
  private claim(conn: Connection, clientId: number): boolean {
    if (conn.clientIds.has(clientId)) return true;
    if (conn.clientIds.size > 0) return false;
    for (const other of this.conns.values()) if (other.clientIds.has(clientId)) return false;
    conn.clientIds.add(clientId);
    return true;
  }

  private leave(conn: Connection): void {
    if (!this.conns.delete(conn.ws)) return;
    if (conn.clientIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.clientIds], null);
  }

  private close(conn: Connection, code: number, reason: string): void {
    this.leave(conn);
    conn.ws.close(code, reason);
  }

  private send(conn: Connection, message: Uint8Array): void {
    // A failed send surfaces as the socket's 'error'/'close', which call leave().
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(message);
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === 'load') return;
    this.pending.push(update);
    this.pendingTimer ??= setTimeout(() => this.writePending(), this.options.writeBatchMs);
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, MESSAGE_SYNC);
    syncProtocol.writeUpdate(message, update);
    const bytes = encoding.toUint8Array(message);
    for (const conn of this.conns.values()) if (conn !== origin) this.send(conn, bytes);
    this.scheduleChanged();
  };

  /** One append for everything that arrived in the last batch window: a drag is dozens of updates. */
  private writePending(): Promise<void> {
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    if (this.pending.length === 0) return this.writes;
    // Several appends when a burst is large; one update too big for any append goes into a snapshot.
    const batches = batchUpdates(this.pending, this.options.maxAppendBytes);
    if (!batches) return this.compact();
    this.pending = [];
    for (const update of batches) {
      const seq = ++this.seq;
      this.writes = this.writes.then(() => this.store.append(this.modelId, seq, update)).catch((e: unknown) => this.options.log(`persisting update ${seq} of ${this.modelId} failed`, e));
      this.sinceCompact++;
    }
    if (this.sinceCompact >= this.options.compactEvery) void this.compact();
    return this.writes;
  }

  private onAwarenessUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    const changed = [...added, ...updated, ...removed];
    const bytes = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    for (const conn of this.conns.values()) this.send(conn, bytes);
  };

  private compact(): Promise<void> {
    // Everything in the document is in the snapshot, so pending updates need no separate append.
    if (this.pendingTimer) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    this.pending = [];
    // Captured now: the state below contains every update up to this sequence number.
    const seqThrough = this.seq;
    const state = Y.encodeStateAsUpdate(this.doc);
    this.size.measured(state.byteLength);
    this.sinceCompact = 0;
    this.writes = this.writes.then(() => this.store.compact(this.modelId, state, seqThrough)).catch((e: unknown) => this.options.log(`compacting ${this.modelId} failed`, e));
    return this.writes;
  }

  private scheduleChanged(): void {
    if (this.changedTimer) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = null;
      void this.options.onChanged(this.modelId, this.doc).catch((e: unknown) => this.options.log(`saving ${this.modelId} failed`, e));
    }, this.options.changedDebounceMs);
  }
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
