import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { createLocalOrigin } from '../doc/origin';
import type { XY } from '../doc/schema';
import { applyFlowChanges, connectNodes } from './apply-flow-changes';
import { PASTE_OFFSET, copySelection, pasteSelection, serializeClipboard, type ClipboardPayload, type PasteResult } from './clipboard';
import { DragThrottle } from './drag-throttle';
import { localStoreFor, reduceEdgeChanges, reduceNodeChanges, withSelection, type LocalFlowStore } from './local-state';
import { setPresenceSelection } from './presence';
import { realScheduler, type Scheduler } from './scheduler';
import { deleteSelection } from './selection';
import { createUndoController, type UndoController } from './undo';

export interface CanvasSessionOptions {
  /** This user's transaction origin; one per session so undo is per user. */
  readonly origin?: unknown;
  readonly local?: LocalFlowStore;
  /** When given, this tab's node selection is published as presence. */
  readonly awareness?: Awareness | null;
  readonly dragIntervalMs?: number;
  readonly captureTimeoutMs?: number;
  readonly scheduler?: Scheduler;
}

/**
 * One user's editing session on one document: the glue between React Flow callbacks and the doc.
 * Framework-free so it can be tested without a DOM; the canvas component just forwards
 * onNodesChange / onEdgesChange / onConnect and keyboard shortcuts here.
 */
export class CanvasSession {
  readonly origin: unknown;
  readonly local: LocalFlowStore;
  readonly undo: UndoController;
  private readonly drag: DragThrottle;
  private readonly stopPublishing: () => void;
  private lastPaste: { payload: ClipboardPayload; count: number } | null = null;

  constructor(
    readonly doc: Y.Doc,
    options: CanvasSessionOptions = {},
  ) {
    this.origin = options.origin ?? createLocalOrigin();
    this.local = options.local ?? localStoreFor(doc);
    this.undo = createUndoController(doc, this.origin, options.captureTimeoutMs === undefined ? {} : { captureTimeoutMs: options.captureTimeoutMs });
    this.drag = new DragThrottle(doc, this.origin, {
      ...(options.dragIntervalMs === undefined ? {} : { intervalMs: options.dragIntervalMs }),
      scheduler: options.scheduler ?? realScheduler,
    });
    const awareness = options.awareness ?? null;
    this.stopPublishing = awareness
      ? this.local.subscribe(() => setPresenceSelection(awareness, this.local.getState().selectedNodes))
      : () => {};
  }

  /** React Flow onNodesChange. */
  readonly onNodesChange = (changes: NodeChange[]): void => {
    const before = this.local.getState();
    const dragMoves: [string, XY][] = [];
    const dragEnds = new Map<string, XY>();
    const forDoc: NodeChange[] = [];
    for (const c of changes) {
      if (c.type === 'position') {
        if (c.dragging === true) {
          if (c.position) dragMoves.push([c.id, c.position]);
        } else if (before.dragging.has(c.id)) {
          dragEnds.set(c.id, c.position ?? before.dragging.get(c.id)!);
        } else if (c.position) {
          forDoc.push(c); // keyboard nudge or programmatic move: one plain write
        }
      } else if (c.type !== 'select' && c.type !== 'dimensions') {
        forDoc.push(c);
      }
    }
    // Doc writes first, then local state, so a render never shows the node snapping back to
    // its old doc position between "drag ended" and "final position written".
    if (dragMoves.length > 0 && before.dragging.size === 0) this.undo.beginGesture();
    if (dragMoves.length > 0) this.drag.move(dragMoves);
    if (dragEnds.size > 0) this.drag.end(dragEnds.keys(), dragEnds);
    if (forDoc.length > 0) applyFlowChanges(this.doc, { nodes: forDoc }, this.origin);
    this.local.update((s) => reduceNodeChanges(s, changes));
    if (before.dragging.size > 0 && this.local.getState().dragging.size === 0) this.undo.endGesture();
  };

  /** React Flow onEdgesChange. */
  readonly onEdgesChange = (changes: EdgeChange[]): void => {
    const forDoc = changes.filter((c) => c.type !== 'select');
    if (forDoc.length > 0) applyFlowChanges(this.doc, { edges: forDoc }, this.origin);
    this.local.update((s) => reduceEdgeChanges(s, changes));
  };

  /** React Flow onConnect. Returns the new edge id, or null if nothing was added. */
  readonly onConnect = (connection: Connection): string | null => connectNodes(this.doc, connection, this.origin);

  selectedNodeIds(): string[] {
    return [...this.local.getState().selectedNodes];
  }

  /** The selection as clipboard data, or null when nothing is selected. */
  copy(): ClipboardPayload | null {
    const payload = copySelection(this.doc, this.local.getState().selectedNodes);
    return payload.nodes.length === 0 ? null : payload;
  }

  copyText(): string | null {
    const payload = this.copy();
    return payload ? serializeClipboard(payload) : null;
  }

  /**
   * Pastes with fresh ids and selects the copy. Pasting the same payload again cascades the
   * offset, so repeated Ctrl+V does not stack copies on top of each other.
   */
  paste(payload: ClipboardPayload): PasteResult {
    const count = this.lastPaste?.payload === payload ? this.lastPaste.count + 1 : 1;
    this.lastPaste = { payload, count };
    const offset = { x: PASTE_OFFSET.x * count, y: PASTE_OFFSET.y * count };
    this.undo.manager.stopCapturing();
    const result = pasteSelection(this.doc, payload, { origin: this.origin, offset });
    this.local.update((s) => withSelection(s, result.nodeIds, result.edgeIds));
    return result;
  }

  /** Deletes the selected nodes (with their edges) and selected edges: one undo step. */
  deleteSelected(): void {
    const { selectedNodes, selectedEdges } = this.local.getState();
    if (selectedNodes.size === 0 && selectedEdges.size === 0) return;
    this.undo.manager.stopCapturing();
    deleteSelection(this.doc, { nodeIds: selectedNodes, edgeIds: selectedEdges }, this.origin);
    this.local.update((s) => withSelection(s, []));
  }

  /** Writes any throttled drag position now (e.g. before the tab is hidden). */
  flush(): void {
    this.drag.flush();
  }

  destroy(): void {
    this.drag.flush();
    this.drag.dispose();
    this.stopPublishing();
    this.undo.destroy();
  }
}
