import type * as Y from 'yjs';
import { docToFlow } from './doc-to-flow';
import type { FlowGraph } from './flow-types';
import type { LocalFlowStore } from './local-state';
import { reuseUnchanged } from './stable-flow';

/**
 * An external store (subscribe + getSnapshot, as useSyncExternalStore wants) over one document
 * and one tab's local state. The snapshot is recomputed lazily after a change and is the same
 * object until the next one. It listens to 'afterAllTransactions' so a transaction and the
 * clean-up transactions it triggers cause one re-render, not two.
 */
export class FlowStore {
  private snapshot: FlowGraph | null = null;
  private dirty = true;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribeLocal: () => void;

  constructor(
    private readonly doc: Y.Doc,
    private readonly local: LocalFlowStore,
  ) {
    doc.on('afterAllTransactions', this.onChange);
    this.unsubscribeLocal = local.subscribe(this.onChange);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): FlowGraph => {
    if (this.dirty || !this.snapshot) {
      this.snapshot = reuseUnchanged(this.snapshot, docToFlow(this.doc, this.local.getState()));
      this.dirty = false;
    }
    return this.snapshot;
  };

  destroy(): void {
    this.doc.off('afterAllTransactions', this.onChange);
    this.unsubscribeLocal();
    this.listeners.clear();
  }

  private readonly onChange = (): void => {
    this.dirty = true;
    for (const l of [...this.listeners]) l();
  };
}

const stores = new WeakMap<Y.Doc, WeakMap<LocalFlowStore, FlowStore>>();

/**
 * One FlowStore per (doc, local state), created on first use and living as long as the doc. Lets
 * hooks share a store without effects; the doc's own listener list is what keeps it alive.
 */
export function flowStoreFor(doc: Y.Doc, local: LocalFlowStore): FlowStore {
  let byLocal = stores.get(doc);
  if (!byLocal) {
    byLocal = new WeakMap();
    stores.set(doc, byLocal);
  }
  let store = byLocal.get(local);
  if (!store) {
    store = new FlowStore(doc, local);
    byLocal.set(local, store);
  }
  return store;
}
