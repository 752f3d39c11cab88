'use client';

import { useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { withSelection, type CanvasSession } from '@/collab/client';
import { moveNodes } from '@/collab/doc';
import type { Problem } from '@/compute/validate';
import { DEFAULT_NODE_SIZE, layeredLayout } from './auto-layout';

/** Fitting never zooms in past 1 (a two-layer model stays life-size) and may zoom far out (any size fits). */
export const FIT_OPTIONS = { maxZoom: 1, minZoom: 0.05, padding: 0.12, duration: 250 } as const;

/** Editor commands shared by the toolbar, the keyboard shortcuts and the problems list. */
export interface EditorActions {
  undo(): void;
  redo(): void;
  fitView(): void;
  /** Lays the graph out left to right in layers (ELK), wrapping long chains, as one undoable change everyone sees. */
  autoLayout(): Promise<void>;
  selectAll(): void;
  /** Selects the problem's node or edge and brings it into view. */
  showProblem(problem: Problem): void;
}

/** Moves keyboard focus to a rendered node or edge, so Delete or the arrow keys act on it next. */
function focusElement(selector: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus({ preventScroll: true }));
}

export function useEditorActions(session: CanvasSession): EditorActions {
  const flow = useReactFlow();
  return useMemo<EditorActions>(
    () => ({
      undo: () => void session.undo.undo(),
      redo: () => void session.undo.redo(),
      fitView: () => void flow.fitView(FIT_OPTIONS),
      async autoLayout() {
        const nodes = flow.getNodes().map((n) => ({ id: n.id, width: n.measured?.width ?? DEFAULT_NODE_SIZE.width, height: n.measured?.height ?? DEFAULT_NODE_SIZE.height }));
        const edges = flow.getEdges().map((e) => ({ source: e.source, target: e.target }));
        const pane = document.querySelector('.canvas .react-flow')?.getBoundingClientRect();
        const positions = await layeredLayout(nodes, edges, pane ? { viewport: { width: pane.width, height: pane.height } } : {});
        session.undo.manager.stopCapturing();
        moveNodes(session.doc, positions, session.origin);
        session.undo.manager.stopCapturing();
        // Fit once React Flow has drawn the new positions (the doc change renders on the next frame).
        requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView(FIT_OPTIONS)));
      },
      selectAll() {
        const nodeIds = flow.getNodes().map((n) => n.id);
        const edgeIds = flow.getEdges().map((e) => e.id);
        session.local.update((s) => withSelection(s, nodeIds, edgeIds));
      },
      showProblem(problem) {
        const edge = problem.edgeId === undefined ? undefined : flow.getEdge(problem.edgeId);
        if (edge) {
          session.local.update((s) => withSelection(s, [], [edge.id]));
          const ends = [flow.getInternalNode(edge.source), flow.getInternalNode(edge.target)].filter((n) => n !== undefined);
          if (ends.length > 0) {
            const x = ends.reduce((sum, n) => sum + n.internals.positionAbsolute.x + (n.measured.width ?? 0) / 2, 0) / ends.length;
            const y = ends.reduce((sum, n) => sum + n.internals.positionAbsolute.y + (n.measured.height ?? 0) / 2, 0) / ends.length;
            void flow.setCenter(x, y, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
          }
          return;
        }
        const ids = problem.nodeIds ?? (problem.nodeId === undefined ? [] : [problem.nodeId]);
        const present = ids.filter((id) => flow.getNode(id) !== undefined);
        if (present.length === 0) return;
        session.local.update((s) => withSelection(s, present));
        void flow.fitView({ nodes: present.map((id) => ({ id })), maxZoom: 1.25, padding: 0.4, duration: 250 });
        focusElement(`.react-flow__node[data-id="${CSS.escape(present[0]!)}"]`);
      },
    }),
    [session, flow],
  );
}
