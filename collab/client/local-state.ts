import type { EdgeChange, NodeChange } from '@xyflow/react';
import type { XY } from '../doc/schema';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * What this browser tab knows that the shared document must not: what I selected, what I am
 * dragging (with the position it has under my pointer, ahead of throttled doc writes), and the
 * size React Flow measured for each node on my screen.
 */
export interface LocalFlowState {
  readonly selectedNodes: ReadonlySet<string>;
  readonly selectedEdges: ReadonlySet<string>;
  readonly dragging: ReadonlyMap<string, XY>;
  readonly measured: ReadonlyMap<string, Size>;
}

export const EMPTY_LOCAL_STATE: LocalFlowState = {
  selectedNodes: new Set(),
  selectedEdges: new Set(),
  dragging: new Map(),
  measured: new Map(),
};

/** Folds the local-only part of React Flow's node changes into local state; returns the same object if nothing changed. */
export function reduceNodeChanges(state: LocalFlowState, changes: readonly NodeChange[]): LocalFlowState {
  let selected: Set<string> | null = null;
  let dragging: Map<string, XY> | null = null;
  let measured: Map<string, Size> | null = null;
  for (const c of changes) {
    switch (c.type) {
      case 'select':
        if ((selected ?? state.selectedNodes).has(c.id) !== c.selected) {
          selected ??= new Set(state.selectedNodes);
          if (c.selected) selected.add(c.id);
          else selected.delete(c.id);
        }
        break;
      case 'position':
        if (c.dragging === true && c.position) {
          dragging ??= new Map(state.dragging);
          dragging.set(c.id, { x: c.position.x, y: c.position.y });
        } else if (c.dragging === false && (dragging ?? state.dragging).has(c.id)) {
          dragging ??= new Map(state.dragging);
          dragging.delete(c.id);
        }
        break;
      case 'dimensions':
        if (c.dimensions) {
          const prev = (measured ?? state.measured).get(c.id);
          if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) {
            measured ??= new Map(state.measured);
            measured.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
          }
        }
        break;
      case 'remove':
        if ((selected ?? state.selectedNodes).has(c.id)) (selected ??= new Set(state.selectedNodes)).delete(c.id);
        if ((dragging ?? state.dragging).has(c.id)) (dragging ??= new Map(state.dragging)).delete(c.id);
        if ((measured ?? state.measured).has(c.id)) (measured ??= new Map(state.measured)).delete(c.id);
        break;
      default:
        break;
    }
  }
  if (!selected && !dragging && !measured) return state;
  return {
    ...state,
    selectedNodes: selected ?? state.selectedNodes,
    dragging: dragging ?? state.dragging,
    measured: measured ?? state.measured,
  };
}

export function reduceEdgeChanges(state: LocalFlowState, changes: readonly EdgeChange[]): LocalFlowState {
  let selected: Set<string> | null = null;
  for (const c of changes) {
    if (c.type !== 'select' && c.type !== 'remove') continue;
    const current = (selected ?? state.selectedEdges).has(c.id);
    const wanted = c.type === 'select' ? c.selected : false;
    if (current === wanted) continue;
    selected ??= new Set(state.selectedEdges);
    if (wanted) selected.add(c.id);
    else selected.delete(c.id);
  }
  return selected ? { ...state, selectedEdges: selected } : state;
}

/** Replaces the selection (after paste, select-all, or clicking a problem in the error list). */
export function withSelection(state: LocalFlowState, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): LocalFlowState {
  return { ...state, selectedNodes: new Set(nodeIds), selectedEdges: new Set(edgeIds) };
}

type Listener = () => void;

/** A tiny observable holder for LocalFlowState, usable with useSyncExternalStore. */
export class LocalFlowStore {
  private state: LocalFlowState;
  private readonly listeners = new Set<Listener>();

  constructor(initial: LocalFlowState = EMPTY_LOCAL_STATE) {
    this.state = initial;
  }

  readonly getState = (): LocalFlowState => this.state;

  update(f: (state: LocalFlowState) => LocalFlowState): void {
    const next = f(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const l of [...this.listeners]) l();
  }

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const perDoc = new WeakMap<object, LocalFlowStore>();

/** The tab's local state for one document, shared by the session and the hooks. */
export function localStoreFor(doc: object): LocalFlowStore {
  let store = perDoc.get(doc);
  if (!store) {
    store = new LocalFlowStore();
    perDoc.set(doc, store);
  }
  return store;
}
