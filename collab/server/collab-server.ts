import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Db } from 'mongodb';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { CLOSE } from '../close-codes';
import { colorFor } from './awareness-guard';
import { checkLimits, COLLAB_LIMITS, type CollabLimits } from './limits';
import { YjsStore } from './persistence';
import { Room } from './room';
import { TicketError, verifyTicket, type RoomRole } from './ticket';
import { TicketUses } from './ticket-uses';
import { UserQuota } from './user-quota';

/** Limits default to COLLAB_LIMITS (collab/server/limits.ts). */
export interface CollabServerOptions extends Partial<CollabLimits> {
  db: Db;
  /** The app secret; tickets are signed with a key derived from it. */
  secret: string;
  /** The user's current role on a model, or null: checked again at every connect. */
  access(modelId: string, userId: string): Promise<RoomRole | null>;
  /** A model's document when it has never been opened (built from its stored JSON graph). */
  initialDoc(modelId: string): Promise<Y.Doc | null>;
  /** Called, debounced, after changes and on unload: keeps the model record's derived JSON current. */
  onChanged(modelId: string, doc: Y.Doc): Promise<void>;
  /** URL path prefix the rooms live under, e.g. /collab. */
  path: string;
  idleUnloadMs?: number;
  compactEvery?: number;
  writeBatchMs?: number;
  messageRate?: number;
  messageBurst?: number;
  changedDebounceMs?: number;
  log?(message: string, error?: unknown): void;
}

export interface CollabServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes a user's sockets in one model's room; returns how many were closed. */
  disconnectUser(modelId: string, userId: string): Promise<number>;
  /** Closes a user's sockets in every room (the account was disabled); returns how many were closed. */
  disconnectUserEverywhere(userId: string): Promise<number>;
  /** Closes every socket in a model's room and unloads it, pending writes flushed (e.g. the model was deleted). */
  closeRoom(modelId: string): Promise<number>;
  /** The model's whole document, encoded (Y.encodeStateAsUpdate); its room is loaded for this if it is not open. */
  documentState(modelId: string): Promise<Uint8Array>;
  /**
   * Applies a server-made change to the model's live document (loaded if not open) as one update
   * everyone in the room receives, then persists it and refreshes the model record before
   * resolving. Returns whether anything changed; throws DocumentTooLargeError over the size cap.
   */
  changeDocument(modelId: string, change: (doc: Y.Doc) => void, origin: unknown): Promise<boolean>;
  /** Rooms in memory, open sockets, and rooms still being written out after going idle. */
  stats(): { rooms: number; connections: number; unloading: number };
  /** Persists and unloads every room; for shutdown. */
  close(): Promise<void>;
}

const MODEL_ID = /^[A-Za-z0-9_-]{1,64}$/;

function reject(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' }[status] ?? 'Error';
  // Destroyed once the answer is out: a client that never closes its end must not hold the socket
  // (nor the slot it took in its user's socket count).
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
}

export function createCollabServer(options: CollabServerOptions): CollabServer {
  const log = options.log ?? ((m: string, e?: unknown) => console.error(`[collab] ${m}`, e ?? ''));
  const store = new YjsStore(options.db);
  const limits: CollabLimits = { ...COLLAB_LIMITS };
  for (const key of Object.keys(COLLAB_LIMITS) as (keyof CollabLimits)[]) limits[key] = options[key] ?? COLLAB_LIMITS[key];
  checkLimits(limits);
  const roomOptions = {
    compactEvery: options.compactEvery ?? 200,
    writeBatchMs: options.writeBatchMs ?? 50,
    messageRate: options.messageRate ?? 200,
    messageBurst: options.messageBurst ?? 400,
    connectionBytesPerSecond: limits.connectionBytesPerSecond,
    connectionBytesBurst: limits.connectionBytesBurst,
    maxDocumentBytes: limits.maxDocumentBytes,
    maxAppendBytes: limits.maxAppendBytes,
    changedDebounceMs: options.changedDebounceMs ?? 1000,
    onChanged: options.onChanged,
    log,
  };
  const idleUnloadMs = options.idleUnloadMs ?? 30_000;
  // Client messages are bounded (ws closes with 1009 above it); a large document still syncs to a
  // newcomer because the server's replies are not.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes });
  const users = new UserQuota({ maxSockets: limits.maxSocketsPerUser, bytesPerSecond: limits.userBytesPerSecond, bytesBurst: limits.userBytesBurst });
  const ticketUses = new TicketUses(limits.maxSocketsPerTicket);
  const rooms = new Map<string, Promise<Room>>();
  const unloading = new Map<string, Promise<void>>();
  const idleTimers = new Map<string, NodeJS.Timeout>();
  let closing = false;
  // Rooms closed for good: their sockets' late 'close' events must not schedule another unload.
  const closedRooms = new WeakSet<Room>();

  async function roomFor(modelId: string): Promise<Room> {
    await unloading.get(modelId);
    let pending = rooms.get(modelId);
    if (!pending) {
      pending = Room.load(modelId, store, roomOptions, () => options.initialDoc(modelId));
      rooms.set(modelId, pending);
      pending.catch(() => rooms.delete(modelId));
    }
    const room = await pending;
    clearTimeout(idleTimers.get(modelId));
    idleTimers.delete(modelId);
    return room;
  }

  function scheduleUnload(room: Room): void {
    if (room.connectionCount > 0 || idleTimers.has(room.modelId) || closedRooms.has(room)) return;
    idleTimers.set(
      room.modelId,
      setTimeout(() => {
        idleTimers.delete(room.modelId);
        if (room.connectionCount > 0) return;
        rooms.delete(room.modelId);
        const done = room
          .flush()
          .then(() => room.destroy())
          .finally(() => unloading.delete(room.modelId));
        unloading.set(room.modelId, done);
      }, idleUnloadMs),
    );
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (closing) return reject(socket, 500, 'SHUTTING_DOWN', 'The server is shutting down.');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const modelId = decodeURIComponent(url.pathname.slice(options.path.length).replace(/^\/+/, ''));
    if (!MODEL_ID.test(modelId)) return reject(socket, 400, 'BAD_ROOM', 'The room name is not a model id.');

    const ticket = url.searchParams.get('ticket');
    let claims;
    try {
      claims = verifyTicket(ticket, options.secret, modelId);
    } catch (error) {
      if (error instanceof TicketError) return reject(socket, 401, error.code, error.message);
      throw error;
    }
    if (!ticketUses.take(ticket!, claims.exp)) {
      return reject(socket, 429, 'TICKET_USED_UP', `This collaboration ticket has already opened ${limits.maxSocketsPerTicket} connections; ask for a new one.`);
    }
    // Reserved before anything is awaited, so simultaneous upgrades cannot all slip under the cap;
    // released when the raw socket closes, whichever way this upgrade ends.
    if (socket.destroyed) return;
    const userBytes = users.acquire(claims.userId);
    if (!userBytes) {
      return reject(socket, 429, 'TOO_MANY_SOCKETS', `You already have ${limits.maxSocketsPerUser} collaboration connections open; close some tabs and try again.`);
    }
    const userId = claims.userId;
    socket.once('close', () => users.release(userId));

    // The ticket proves who; the access list decides, now, whether they may still come in.
    const role = await options.access(modelId, claims.userId);
    if (!role) return reject(socket, 403, 'NO_ACCESS', 'You do not have access to this model.');

    const room = await roomFor(modelId);
    wss.handleUpgrade(req, socket, head, (ws) => {
      room.join(ws, { id: claims.userId, name: claims.name, color: colorFor(claims.userId), role }, userBytes);
      ws.once('close', () => scheduleUnload(room));
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => undefined);
      upgrade(req, socket, head).catch((error: unknown) => {
        log('upgrade failed', error);
        if (socket.writable) reject(socket, 500, 'INTERNAL', 'The collaboration server failed to open this model.');
      });
    },

    async disconnectUser(modelId, userId) {
      const pending = rooms.get(modelId);
      if (!pending) return 0;
      return (await pending).disconnectUser(userId, CLOSE.ACCESS_REVOKED, 'access changed');
    },

    async disconnectUserEverywhere(userId) {
      const loaded = await Promise.allSettled(rooms.values());
      let closed = 0;
      for (const r of loaded) if (r.status === 'fulfilled') closed += r.value.disconnectUser(userId, CLOSE.ACCESS_REVOKED, 'account disabled');
      return closed;
    },

    async closeRoom(modelId) {
      // An unload under way is still writing; let it finish so the caller's cleanup comes last.
      await unloading.get(modelId);
      const pending = rooms.get(modelId);
      if (!pending) return 0;
      rooms.delete(modelId);
      clearTimeout(idleTimers.get(modelId));
      idleTimers.delete(modelId);
      const room = await pending;
      closedRooms.add(room);
      const closed = room.connectionCount;
      room.closeAll(CLOSE.ACCESS_REVOKED, 'model deleted');
      // Flushed before the caller removes the stored updates, so no late write brings them back.
      await room.flush();
      room.destroy();
      return closed;
    },

    async documentState(modelId) {
      if (closing) throw new Error('The collaboration server is shutting down.');
      const room = await roomFor(modelId);
      try {
        return Y.encodeStateAsUpdate(room.doc);
      } finally {
        scheduleUnload(room);
      }
    },

    async changeDocument(modelId, change, origin) {
      if (closing) throw new Error('The collaboration server is shutting down.');
      const room = await roomFor(modelId);
      try {
        const changed = room.applyServerChange(change, origin);
        if (changed) await room.flush();
        return changed;
      } finally {
        scheduleUnload(room);
      }
    },

    stats() {
      return { rooms: rooms.size, connections: wss.clients.size, unloading: unloading.size };
    },

    async close() {
      closing = true;
      for (const timer of idleTimers.values()) clearTimeout(timer);
      idleTimers.clear();
      const loaded = await Promise.allSettled(rooms.values());
      await Promise.all(
        loaded.map(async (r) => {
          if (r.status !== 'fulfilled') return;
          r.value.closeAll(CLOSE.SHUTTING_DOWN, 'server shutting down');
          await r.value.flush();
          r.value.destroy();
        }),
      );
      await Promise.all(unloading.values());
      rooms.clear();
      users.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
