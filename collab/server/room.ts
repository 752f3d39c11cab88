import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { guardAwarenessUpdate, type PresenceIdentity } from './awareness-guard';
import type { YjsStore } from './persistence';
import { TokenBucket } from './rate-limiter';

// The y-websocket wire protocol's top-level message types.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/** Close codes the client understands (4000-4999 are the application's). */
export const CLOSE = {
  RATE_LIMITED: 4429,
  ACCESS_REVOKED: 4403,
  BAD_MESSAGE: 4400,
  SHUTTING_DOWN: 1001,
} as const;

export interface RoomOptions {
  /** Compact the update log into a snapshot after this many appended batches. */
  compactEvery: number;
  /** Updates arriving within this window are merged into one database write. */
  writeBatchMs: number;
  /** Messages per second per connection (sustained) and burst. */
  messageRate: number;
  messageBurst: number;
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

  private constructor(
    readonly modelId: string,
    private readonly store: YjsStore,
    private readonly options: RoomOptions,
    lastSeq: number,
  ) {
    this.seq = lastSeq;
    // The server holds no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Loads the room from its snapshot and update log; a model without either starts from `initial`. */
  static async load(modelId: string, store: YjsStore, options: RoomOptions, initial: () => Promise<Y.Doc | null>): Promise<Room> {
    const stored = await store.load(modelId);
    const room = new Room(modelId, store, options, stored.lastSeq);
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
        await store.compact(modelId, Y.encodeStateAsUpdate(room.doc), room.seq);
      }
    }
    return room;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  join(ws: WebSocket, identity: PresenceIdentity): void {
    const conn: Connection = {
      ws,
      identity,
      readOnly: identity.role === 'viewer',
      clientIds: new Set(),
      bucket: new TokenBucket(this.options.messageRate, this.options.messageBurst),
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

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }

  private onMessage(conn: Connection, data: Uint8Array): void {
    if (!conn.bucket.take()) return this.close(conn, CLOSE.RATE_LIMITED, 'too many messages');
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        // Viewers may ask for the document (step 1) but whatever they send back is dropped.
        if (conn.readOnly && decoding.peekVarUint(decoder) !== syncProtocol.messageYjsSyncStep1) return;
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        syncProtocol.readSyncMessage(decoder, reply, this.doc, conn);
        if (encoding.length(reply) > 1) this.send(conn, encoding.toUint8Array(reply));
      } else if (type === MESSAGE_AWARENESS) {
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
    const update = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    this.pending = [];
    const seq = ++this.seq;
    this.writes = this.writes.then(() => this.store.append(this.modelId, seq, update)).catch((e: unknown) => this.options.log(`persisting update ${seq} of ${this.modelId} failed`, e));
    if (++this.sinceCompact >= this.options.compactEvery) void this.compact();
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
