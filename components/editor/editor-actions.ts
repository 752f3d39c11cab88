'use client';

import { useReactFlow } from '@xyflow/react';
import { useMemo } from 'react';
import { withSelection, type CanvasSession } from '@/collab/client';
import { autoLayout, docToGraph, moveNodes } from '@/collab/doc';
import type { Problem } from '@/compute/validate';

const FIT_OPTIONS = { maxZoom: 1, padding: 0.15, duration: 250 } as const;

/** Editor commands shared by the toolbar, the keyboard shortcuts and the problems list. */
export interface EditorActions {
  undo(): void;
  redo(): void;
  fitView(): void;
  /** Lays the graph out in columns by depth, as one undoable change everyone sees. */
  autoLayout(): void;
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
      autoLayout() {
        const positions = autoLayout(docToGraph(session.doc));
        session.undo.manager.stopCapturing();
        moveNodes(session.doc, positions, session.origin);
        session.undo.manager.stopCapturing();
        // Fit once React Flow has drawn the new positions.
        requestAnimationFrame(() => void flow.fitView(FIT_OPTIONS));
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
