import * as Y from 'yjs';
import { isEdgeRecord } from './read';
import { CLEANUP_ORIGIN } from './origin';
import { edgesMap, nodesMap } from './schema';

/**
 * Edges whose source or target node is missing (or which are malformed), sorted by id.
 * A pure function of the document state, so every replica that has seen the same updates
 * computes the same set.
 */
export function findDanglingEdges(doc: Y.Doc): string[] {
  const nodes = nodesMap(doc);
  const out: string[] = [];
  edgesMap(doc).forEach((edge, id) => {
    if (!isEdgeRecord(edge) || !(nodes.get(edge.source) instanceof Y.Map) || !(nodes.get(edge.target) instanceof Y.Map)) {
      out.push(id);
    }
  });
  return out.sort();
}

/** True while the replica holds updates it cannot integrate yet: it is missing someone's earlier edits. */
function isMissingUpdates(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/**
 * Removes dangling edges after every transaction that touched nodes or edges (e.g. peer A deleted a
 * node while peer B wired an edge into it). Safe to run on every client at once: the sweep deletes
 * exactly findDanglingEdges(doc), and deleting the same map entry twice is idempotent in Yjs, so
 * concurrent sweeps converge without fighting. It runs as a follow-up transaction with
 * CLEANUP_ORIGIN, which no undo manager tracks.
 *
 * While the replica is missing updates (pending structs), it waits: an edge may look dangling only
 * because the update creating its node has not arrived. Rendering hides such edges meanwhile
 * (visibleEdges). Returns a function that uninstalls the observer.
 */
export function installDanglingEdgeCleanup(doc: Y.Doc): () => void {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  // Only key changes of these two maps can create a dangling edge (a move changes a node's own map).
  const watched = new Set<unknown>([nodes, edges]);
  // Set when a sweep was skipped because updates were missing; the next transaction sweeps
  // even if it did not touch nodes or edges (it may be the one that filled the gap).
  let owed = false;
  const sweep = (): void => {
    if (isMissingUpdates(doc)) {
      owed = true;
      return;
    }
    owed = false;
    const dangling = findDanglingEdges(doc);
    if (dangling.length === 0) return;
    // Inside an afterTransaction handler Yjs queues this as the next transaction.
    doc.transact(() => {
      for (const id of dangling) edges.delete(id);
    }, CLEANUP_ORIGIN);
  };
  const onAfterTransaction = (tr: Y.Transaction): void => {
    if (tr.origin === CLEANUP_ORIGIN) return;
    if (owed || [...tr.changed.keys()].some((type) => watched.has(type))) sweep();
  };
  doc.on('afterTransaction', onAfterTransaction);
  sweep(); // edges that dangled before install
  return () => doc.off('afterTransaction', onAfterTransaction);
}
