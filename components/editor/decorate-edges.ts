import type { Edge } from '@xyflow/react';
import type { LayerFlowEdge } from '@/collab/client';
import { edgeShapeText, type ProblemIndex } from './problem-index';

export const SHAPED_EDGE_TYPE = 'shaped';

/** What the shaped edge draws besides its path. A type alias: React Flow wants a Record. */
export type ShapedEdgeData = {
  /** The tensor shape flowing along the edge, e.g. "[8, 8, 16]". */
  readonly shape?: string;
  /** The validator's message when the edge itself is at fault (shape mismatch, extra connection). */
  readonly problem?: string;
  readonly problemCode?: string;
};

export type ShapedEdge = Edge<ShapedEdgeData, typeof SHAPED_EDGE_TYPE>;

/**
 * A view-only layer over the document's edges: the shape each carries and any problem on it.
 * Edges whose decoration did not change keep their identity from the previous call, so React
 * Flow does not redraw every edge on every keystroke.
 */
export function decorateEdges(edges: readonly LayerFlowEdge[], index: ProblemIndex, previous: ReadonlyMap<string, ShapedEdge> = new Map()): ShapedEdge[] {
  return edges.map((edge) => {
    const shape = edgeShapeText(index, edge.id);
    const problems = index.byEdge.get(edge.id);
    const problem = problems?.map((p) => p.message).join('; ');
    const old = previous.get(edge.id);
    if (old && old.source === edge.source && old.target === edge.target && old.sourceHandle === edge.sourceHandle && old.targetHandle === edge.targetHandle && old.selected === edge.selected && old.data?.shape === shape && old.data?.problem === problem) {
      return old;
    }
    const data: ShapedEdgeData = {
      ...(shape === undefined ? {} : { shape }),
      ...(problem === undefined ? {} : { problem, problemCode: problems![0]!.code }),
    };
    return { ...edge, type: SHAPED_EDGE_TYPE, data, ...(problem === undefined ? {} : { className: 'edge-problem' }) };
  });
}
