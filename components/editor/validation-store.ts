import type * as Y from 'yjs';
import { docToGraph, listNodes } from '@/collab/doc';
import { layerLabels } from '@/compute/graph';
import { checkDatasetFit, validateGraph, type DatasetFacts, type GraphValidation } from '@/compute/validate';

type Schedule = (run: () => void) => void;

/** One frame in a browser; a timer elsewhere (tests, server rendering). */
const nextFrame: Schedule = (run) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else setTimeout(run, 16);
};

/**
 * Live validation of one document as an external store (subscribe + getSnapshot for
 * useSyncExternalStore). Every change schedules one run per frame, so a burst of transactions
 * (typing, a peer dragging) costs one validateGraph call. The snapshot keeps its identity while
 * the graph itself (types, params, wiring; not positions) is unchanged, so dragging a node does
 * not re-render every node that reads the validation. The dataset the training panel has chosen
 * is part of it: a model that cannot take that data is not ready to train, and the problem sits on
 * the node to change. Messages lead with the layer's name as people see it (their own label, or
 * "Dense 2"), the same names as the canvas.
 */
export class ValidationStore {
  private snapshot: GraphValidation | null = null;
  private graphKey = '';
  private scheduled = false;
  private dataset: DatasetFacts | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly schedule: Schedule = nextFrame,
  ) {
    doc.on('afterAllTransactions', this.onChange);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): GraphValidation => {
    if (!this.snapshot) this.refresh();
    return this.snapshot!;
  };

  /** The dataset the next run would train on, or null when none is chosen (or its facts are unknown). */
  setDataset(dataset: DatasetFacts | null): void {
    if (JSON.stringify(dataset) === JSON.stringify(this.dataset)) return;
    this.dataset = dataset;
    this.onChange();
  }

  destroy(): void {
    this.doc.off('afterAllTransactions', this.onChange);
    this.listeners.clear();
  }

  /** Validates now; true when the result may differ from the previous snapshot. */
  private refresh(): boolean {
    const graph = docToGraph(this.doc);
    const labels = layerLabels(listNodes(this.doc));
    const key = JSON.stringify([graph, this.dataset, [...labels]]);
    if (this.snapshot && key === this.graphKey) return false;
    this.graphKey = key;
    const validation = validateGraph(graph, { labels });
    const mismatches = this.dataset ? checkDatasetFit(graph, validation, this.dataset, { labels }) : [];
    this.snapshot = mismatches.length === 0 ? validation : { ...validation, ok: false, problems: [...validation.problems, ...mismatches] };
    return true;
  }

  private readonly onChange = (): void => {
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.refresh()) for (const l of [...this.listeners]) l();
    });
  };
}

const stores = new WeakMap<Y.Doc, ValidationStore>();

/** One store per document, created on first use and living as long as the document. */
export function validationStoreFor(doc: Y.Doc): ValidationStore {
  let store = stores.get(doc);
  if (!store) {
    store = new ValidationStore(doc);
    stores.set(doc, store);
  }
  return store;
}
