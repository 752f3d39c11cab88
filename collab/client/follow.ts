import type { Awareness } from 'y-protocols/awareness';
import { CURSOR_INTERVAL_MS } from './cursor-throttle';
import { KeyedThrottle } from './keyed-throttle';
import { realScheduler, type Scheduler } from './scheduler';

/**
 * Following a collaborator's view. Each client publishes, in its awareness state, the part of the
 * canvas it sees:
 *   viewport  { x, y, zoom, width, height } — React Flow's viewport transform (screen = flow * zoom
 *             + (x, y)) and the canvas size in CSS pixels; absent until the canvas has a size.
 * A follower maps that visible area into its own canvas (fitRemoteViewport), so a small window
 * following a large one sees the same part of the model, only smaller.
 */
export interface PresenceViewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
  readonly width: number;
  readonly height: number;
}

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface CanvasSize {
  readonly width: number;
  readonly height: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A peer's published viewport, or null when absent or malformed (remote state is untrusted). */
export function readPresenceViewport(raw: unknown): PresenceViewport | null {
  const v = (raw as { viewport?: unknown } | null | undefined)?.viewport as Partial<PresenceViewport> | null | undefined;
  if (!v || typeof v !== 'object') return null;
  const { x, y, zoom, width, height } = v;
  if (!finite(x) || !finite(y) || !finite(zoom) || !finite(width) || !finite(height)) return null;
  if (zoom <= 0 || width <= 0 || height <= 0) return null;
  return { x, y, zoom, width, height };
}

export function setPresenceViewport(awareness: Awareness, viewport: PresenceViewport): void {
  const state = awareness.getLocalState() ?? { cursor: null, selection: [] };
  const prev = readPresenceViewport(state);
  if (prev && prev.x === viewport.x && prev.y === viewport.y && prev.zoom === viewport.zoom && prev.width === viewport.width && prev.height === viewport.height) return;
  const { x, y, zoom, width, height } = viewport;
  awareness.setLocalState({ ...state, viewport: { x, y, zoom, width, height } });
}

/** The viewport a client in this room last published, or null. */
export function peerViewport(awareness: Awareness, clientId: number): PresenceViewport | null {
  return readPresenceViewport(awareness.getStates().get(clientId));
}

/**
 * Where this canvas (of size `local`) must look to show what the remote canvas shows: the remote
 * visible area, in flow coordinates, fitted whole into the local canvas and centred, with the zoom
 * kept within the local canvas's limits.
 */
export function fitRemoteViewport(remote: PresenceViewport, local: CanvasSize, limits: { minZoom: number; maxZoom: number }): Viewport {
  // The remote visible area in flow coordinates.
  const left = -remote.x / remote.zoom;
  const top = -remote.y / remote.zoom;
  const width = remote.width / remote.zoom;
  const height = remote.height / remote.zoom;
  const scale = local.width > 0 && local.height > 0 ? Math.min(local.width / width, local.height / height) : remote.zoom;
  const zoom = Math.min(limits.maxZoom, Math.max(limits.minZoom, scale));
  const cx = left + width / 2;
  const cy = top + height / 2;
  return { x: local.width / 2 - cx * zoom, y: local.height / 2 - cy * zoom, zoom };
}

/** Viewport broadcasts, throttled like cursors: at most one per interval, the latest sent last. */
export class ViewportThrottle {
  private readonly throttle: KeyedThrottle<PresenceViewport>;

  constructor(awareness: Awareness, options: { intervalMs?: number; scheduler?: Scheduler } = {}) {
    this.throttle = new KeyedThrottle<PresenceViewport>(
      (batch) => {
        const v = batch.get('viewport');
        if (v) setPresenceViewport(awareness, v);
      },
      options.intervalMs ?? CURSOR_INTERVAL_MS,
      options.scheduler ?? realScheduler,
    );
  }

  publish(viewport: PresenceViewport): void {
    if (!(viewport.zoom > 0 && viewport.width > 0 && viewport.height > 0)) return;
    this.throttle.push([['viewport', viewport]]);
  }

  flush(): void {
    this.throttle.flush();
  }

  dispose(): void {
    this.throttle.dispose();
  }
}

/** Whom this tab follows: one client (a person's tab) of a user, or nobody. */
export interface FollowTarget {
  readonly clientId: number;
  readonly userId: string;
}

/**
 * This tab's follow state, one per awareness (see followStoreFor), shared by the presence bar
 * (which starts and stops it) and the canvas (which moves). Following ends by itself when the
 * followed client leaves the room.
 */
export class FollowStore {
  private target: FollowTarget | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FollowTarget | null => this.target;

  follow(target: FollowTarget): void {
    if (target.clientId === this.awareness.clientID) return;
    if (this.target?.clientId === target.clientId && this.target.userId === target.userId) return;
    this.set(this.awareness.getStates().has(target.clientId) ? { clientId: target.clientId, userId: target.userId } : null);
  }

  /** Follows the user, or stops if this tab already follows them. */
  toggle(target: FollowTarget): void {
    if (this.target?.userId === target.userId) this.stop();
    else this.follow(target);
  }

  stop(): void {
    this.set(null);
  }

  destroy(): void {
    this.awareness.off('change', this.onChange);
    this.listeners.clear();
  }

  private set(next: FollowTarget | null): void {
    if (next === this.target) return;
    this.target = next;
    for (const l of [...this.listeners]) l();
  }

  private readonly onChange = (): void => {
    if (this.target && !this.awareness.getStates().has(this.target.clientId)) this.stop();
  };
}

const stores = new WeakMap<Awareness, FollowStore>();

export function followStoreFor(awareness: Awareness): FollowStore {
  let store = stores.get(awareness);
  if (!store) {
    store = new FollowStore(awareness);
    stores.set(awareness, store);
  }
  return store;
}
