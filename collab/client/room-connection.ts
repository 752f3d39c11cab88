import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { CLOSE } from '../close-codes';
import { COLLAB_PATH } from './connect';

export type RoomStatus = 'connecting' | 'connected' | 'offline' | 'denied';

export interface RoomConnectionOptions {
  /** Origin of the web app, e.g. window.location.origin. */
  readonly origin: string;
  readonly modelId: string;
  readonly doc: Y.Doc;
  /** A fresh short-lived ticket from the server; rejects with `{ denied: true }` when access is gone. */
  readonly getTicket: () => Promise<string>;
  readonly onStatus?: (status: RoomStatus, detail?: string) => void;
  readonly random?: () => number;
  readonly WebSocketImpl?: typeof WebSocket;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Closes after which reconnecting cannot help: this tab's document holds a change the server
 * refuses, and every reconnect would send it again. Only reloading (dropping the change) can.
 */
const REFUSED_CHANGE: Record<number, string> = {
  [CLOSE.DOCUMENT_TOO_LARGE]: 'This model has reached its size limit, so your last change was not saved. Reload the page to keep editing.',
  [CLOSE.MESSAGE_TOO_BIG]: 'Your last change is too large to send, so it was not saved. Reload the page to keep editing.',
};

/** Closes for sending too fast: worth retrying, but only after the longest backoff. */
const SLOW_DOWN: Record<number, string> = {
  [CLOSE.TOO_MUCH_DATA]: 'This tab sent too much data too quickly; reconnecting shortly.',
  [CLOSE.RATE_LIMITED]: 'This tab sent too many changes too quickly; reconnecting shortly.',
};

/**
 * Keeps one model's room connected: every (re)connect fetches a fresh ticket, retries back off
 * exponentially with full jitter (so a restarted server is not hit by every client at once), and
 * the browser's offline/online events pause and resume the socket. Edits made while offline stay in
 * the Y.Doc and merge when the connection returns.
 */
export class RoomConnection {
  readonly provider: WebsocketProvider;
  private attempts = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private paused = false;
  private status: RoomStatus = 'connecting';

  constructor(private readonly options: RoomConnectionOptions) {
    const url = new URL(COLLAB_PATH, options.origin);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    this.provider = new WebsocketProvider(url.toString(), encodeURIComponent(options.modelId), options.doc, {
      connect: false,
      params: {},
      ...(options.WebSocketImpl ? { WebSocketPolyfill: options.WebSocketImpl } : {}),
    });
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.setStatus('connected');
    });
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.attempts = 0;
    });
    this.provider.on('connection-close', (event) => this.onClose(event?.code ?? 0));
  }

  get currentStatus(): RoomStatus {
    return this.status;
  }

  start(): void {
    void this.connect();
  }

  /** Leave the room for now (e.g. the browser went offline); local edits keep accumulating. */
  pause(): void {
    this.paused = true;
    this.clearTimer();
    if (this.provider.shouldConnect) this.provider.disconnect();
    this.setStatus('offline');
  }

  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.attempts = 0;
    void this.connect();
  }

  destroy(): void {
    this.stopped = true;
    this.clearTimer();
    this.provider.destroy();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.paused) return;
    this.setStatus('connecting');
    let ticket: string;
    try {
      ticket = await this.options.getTicket();
    } catch (error) {
      if ((error as { denied?: boolean }).denied) return this.deny('You no longer have access to this model.');
      return this.retry();
    }
    if (this.stopped || this.paused) return;
    this.provider.params = { ticket };
    this.provider.connect();
  }

  private onClose(code: number): void {
    if (this.stopped || this.paused) return;
    // Stop y-websocket's own immediate retry: ours fetches a new ticket and adds jitter. (Not
    // disconnect(): this runs inside the provider's close handler, which would call us again.)
    this.provider.shouldConnect = false;
    if (code === CLOSE.ACCESS_REVOKED) {
      // The role may have changed rather than been revoked: ask for a new ticket, which decides.
      this.attempts = 0;
      this.schedule(0);
      return;
    }
    const refused = REFUSED_CHANGE[code];
    if (refused) {
      // Final; disconnect() is not called for the reason above, and shouldConnect is already off.
      this.clearTimer();
      this.setStatus('denied', refused);
      return;
    }
    const slowDown = SLOW_DOWN[code];
    if (slowDown) {
      this.setStatus('offline', slowDown);
      this.schedule(this.cooldownDelay());
      return;
    }
    this.retry();
  }

  private retry(): void {
    this.setStatus('offline');
    this.schedule(this.nextDelay());
  }

  /** The longest backoff, half of it jittered: a client that flooded comes back slowly. */
  private cooldownDelay(): number {
    const max = this.options.maxDelayMs ?? 10_000;
    this.attempts++;
    return Math.round(max / 2 + ((this.options.random ?? Math.random)() * max) / 2);
  }

  private nextDelay(): number {
    const base = this.options.baseDelayMs ?? 250;
    const max = this.options.maxDelayMs ?? 10_000;
    const cap = Math.min(max, base * 2 ** this.attempts);
    this.attempts++;
    return Math.round((this.options.random ?? Math.random)() * cap);
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private deny(detail: string): void {
    this.clearTimer();
    this.provider.disconnect();
    this.setStatus('denied', detail);
  }

  private setStatus(status: RoomStatus, detail?: string): void {
    this.status = status;
    this.options.onStatus?.(status, detail);
  }
}
