import type * as Y from 'yjs';
import { docToGraph } from '@/collab/doc';
import type { Graph } from '@/compute/graph';
import { validateGraph, type GraphValidation } from '@/compute/validate';

export interface GraphState {
  readonly graph: Graph;
  readonly validation: GraphValidation;
}

/**
 * The room's current graph and its validation, recomputed lazily after document updates (the
 * snapshot is rebuilt only when React asks for it, not on every keystroke-sized update).
 */
export class GraphStore {
  private state: GraphState | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', this.onUpdate);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): GraphState => {
    if (!this.state) {
      const graph = docToGraph(this.doc);
      this.state = { graph, validation: validateGraph(graph) };
    }
    return this.state;
  };

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
  }

  private readonly onUpdate = (): void => {
    this.state = null;
    for (const l of [...this.listeners]) l();
  };
}

const stores = new WeakMap<Y.Doc, GraphStore>();

export function graphStoreFor(doc: Y.Doc): GraphStore {
  let store = stores.get(doc);
  if (!store) stores.set(doc, (store = new GraphStore(doc)));
  return store;
}
