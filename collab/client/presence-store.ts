import type { Awareness } from 'y-protocols/awareness';
import { listPeers, type Peer } from './presence';

const EMPTY: readonly Peer[] = [];

/**
 * External store of the remote peers. Listens to awareness 'change' (real changes), not 'update'
 * (which also fires for the 15-second keep-alive renewals), so idle rooms do not re-render.
 */
export class PresenceStore {
  private peers: readonly Peer[] | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.onChange);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly Peer[] => {
    if (!this.peers) {
      const peers = listPeers(this.awareness);
      this.peers = peers.length === 0 ? EMPTY : peers;
    }
    return this.peers;
  };

  /** Recomputes after a change, keeping the previous array when only our own state changed. */
  private refresh(): void {
    const prev = this.peers;
    this.peers = null;
    const next = this.getSnapshot();
    if (prev && samePeers(prev, next)) this.peers = prev;
  }

  destroy(): void {
    this.awareness.off('change', this.onChange);
    this.listeners.clear();
  }

  private readonly onChange = (): void => {
    const before = this.peers;
    this.refresh();
    if (before === this.peers) return;
    for (const l of [...this.listeners]) l();
  };
}

const stores = new WeakMap<Awareness, PresenceStore>();

export function presenceStoreFor(awareness: Awareness): PresenceStore {
  let store = stores.get(awareness);
  if (!store) {
    store = new PresenceStore(awareness);
    stores.set(awareness, store);
  }
  return store;
}

function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i]!;
      return (
        p.clientId === q.clientId &&
        p.user.id === q.user.id &&
        p.user.name === q.user.name &&
        p.user.color === q.user.color &&
        p.cursor?.x === q.cursor?.x &&
        p.cursor?.y === q.cursor?.y &&
        (p.cursor === null) === (q.cursor === null) &&
        p.selection.length === q.selection.length &&
        p.selection.every((id, j) => id === q.selection[j])
      );
    })
  );
}
