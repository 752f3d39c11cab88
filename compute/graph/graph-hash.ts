import { sha256Hex } from './sha256';
import type { Graph } from './types';

/**
 * The graph's version: SHA-256 of a canonical JSON of what training depends on (node ids, types and
 * params; edges by their endpoints). Layout, edge ids and key or array order of nodes and edges do
 * not count, so moving a node or reloading the document keeps the version; any change a trained
 * model would notice changes it.
 */
export function graphHash(graph: Graph): string {
  const nodes = [...graph.nodes]
    .map((n) => ({ id: n.id, type: n.type, params: canonical(n.params ?? {}) }))
    .sort((a, b) => compare(a.id, b.id));
  const edges = graph.edges
    .map((e) => [e.source, e.sourceHandle ?? null, e.target, e.targetHandle ?? null] as const)
    .sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b)));
  return sha256Hex(new TextEncoder().encode(JSON.stringify({ v: 1, nodes, edges })));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Objects with sorted keys and undefined members dropped, so equal params give equal text. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}
