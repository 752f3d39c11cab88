import type { Graph } from '../../compute/graph';
import type { XY } from './schema';

export const LAYOUT_COLUMN_GAP = 240;
export const LAYOUT_ROW_GAP = 120;

/**
 * Positions for a graph that arrives without any (templates, API imports): one column per depth
 * (longest path from a source), rows in the graph's node order. Cycles and dangling edges are
 * tolerated: depth is capped at the node count, so this always terminates.
 */
export function autoLayout(graph: Graph): Map<string, XY> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const depth = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  const limit = graph.nodes.length;
  for (let pass = 0; pass < limit; pass++) {
    let changed = false;
    for (const e of graph.edges) {
      if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
      const next = Math.min(limit, (depth.get(e.source) ?? 0) + 1);
      if (next > (depth.get(e.target) ?? 0)) {
        depth.set(e.target, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const rows = new Map<number, number>();
  const out = new Map<string, XY>();
  for (const n of graph.nodes) {
    if (out.has(n.id)) continue;
    const col = depth.get(n.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    out.set(n.id, { x: col * LAYOUT_COLUMN_GAP, y: row * LAYOUT_ROW_GAP });
  }
  return out;
}
