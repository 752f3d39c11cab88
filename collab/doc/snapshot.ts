import type * as Y from 'yjs';
import type { Graph } from '../../compute/graph';
import { createDocFromGraph, docLayout, docToGraph, type Layout } from './graph-convert';
import { readMeta } from './meta';
import type { MetaView } from './schema';

/**
 * The derived, plain-JSON view of a model that the server stores in its model record (listing,
 * search, validation and training read this, not Yjs). Deterministic: two replicas that have seen
 * the same updates produce deep-equal snapshots.
 */
export interface ModelSnapshot {
  readonly schemaVersion: number;
  readonly meta: MetaView;
  readonly graph: Graph;
  readonly layout: Layout;
}

export function docToSnapshot(doc: Y.Doc): ModelSnapshot {
  const meta = readMeta(doc);
  return { schemaVersion: meta.schemaVersion, meta, graph: docToGraph(doc), layout: docLayout(doc) };
}

/**
 * Rebuilds a document from a stored snapshot. Do this once, on the server, and persist the result:
 * two docs built separately from the same snapshot are different histories and would duplicate
 * every node when merged.
 */
export function createDocFromSnapshot(snapshot: ModelSnapshot): Y.Doc {
  return createDocFromGraph(snapshot.graph, {
    layout: snapshot.layout,
    meta: { name: snapshot.meta.name, description: snapshot.meta.description },
    now: () => snapshot.meta.updatedAt ?? Date.now(),
  });
}
