import * as Y from 'yjs';
import { CollabDocError } from './errors';
import { compareIds } from './read';
import { edgesMap, nodesMap, type EdgeRecord } from './schema';

export interface NewEdge {
  readonly id: string;
  readonly source: string;
  readonly sourceHandle?: string | null;
  readonly target: string;
  readonly targetHandle?: string | null;
}

function record(e: NewEdge): EdgeRecord {
  for (const [field, v] of [['source', e.source], ['target', e.target]] as const) {
    if (typeof v !== 'string' || v.length === 0) throw new CollabDocError('INVALID_ID', `Edge ${e.id}: ${field} must be a node id`);
  }
  for (const [field, v] of [['sourceHandle', e.sourceHandle], ['targetHandle', e.targetHandle]] as const) {
    if (v != null && typeof v !== 'string') throw new CollabDocError('INVALID_VALUE', `Edge ${e.id}: ${field} must be a string or null`);
  }
  return { source: e.source, sourceHandle: e.sourceHandle ?? null, target: e.target, targetHandle: e.targetHandle ?? null };
}

/**
 * Adds edges in one transaction and returns the ids actually added. An edge whose end is not in
 * the document (typically deleted by a peer a moment ago) is skipped, not an error. A duplicate id
 * is a caller bug and throws before anything is written.
 */
export function addEdges(doc: Y.Doc, edges: readonly NewEdge[], origin: unknown = null): string[] {
  const map = edgesMap(doc);
  const seen = new Set<string>();
  const records = edges.map((e) => {
    if (typeof e.id !== 'string' || e.id.length === 0) throw new CollabDocError('INVALID_ID', 'Edge id must be a non-empty string');
    if (seen.has(e.id) || map.has(e.id)) throw new CollabDocError('DUPLICATE_EDGE_ID', `An edge with id ${e.id} already exists`);
    seen.add(e.id);
    return [e.id, record(e)] as const;
  });
  const added: string[] = [];
  doc.transact(() => {
    const nodes = nodesMap(doc);
    for (const [id, r] of records) {
      if (!(nodes.get(r.source) instanceof Y.Map) || !(nodes.get(r.target) instanceof Y.Map)) continue;
      map.set(id, r);
      added.push(id);
    }
  }, origin);
  return added;
}

export function addEdge(doc: Y.Doc, edge: NewEdge, origin: unknown = null): boolean {
  return addEdges(doc, [edge], origin).length === 1;
}

export function removeEdges(doc: Y.Doc, ids: Iterable<string>, origin: unknown = null): string[] {
  const wanted = [...new Set(ids)].sort(compareIds);
  const removed: string[] = [];
  if (wanted.length === 0) return removed;
  doc.transact(() => {
    const map = edgesMap(doc);
    for (const id of wanted) {
      if (!map.has(id)) continue;
      map.delete(id);
      removed.push(id);
    }
  }, origin);
  return removed;
}

/** An existing edge with exactly these ends, if any: connecting the same ports twice is a no-op. */
export function findEdgeBetween(doc: Y.Doc, e: Omit<NewEdge, 'id'>): string | null {
  let found: string | null = null;
  edgesMap(doc).forEach((r, id) => {
    if (
      found === null &&
      r?.source === e.source &&
      r.target === e.target &&
      (r.sourceHandle ?? null) === (e.sourceHandle ?? null) &&
      (r.targetHandle ?? null) === (e.targetHandle ?? null)
    ) {
      found = id;
    }
  });
  return found;
}
