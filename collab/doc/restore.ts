import type * as Y from 'yjs';
import { graphToDoc, type Layout } from './graph-convert';
import { setLabel } from './nodes';
import { listNodes } from './read';
import type { Graph } from '../../compute/graph';

/**
 * Makes a live document hold an earlier graph (a named version) as one new change, in one
 * transaction: graphToDoc keeps the Y.Map of every node that survives, so a peer's concurrent
 * edit elsewhere still merges, and history is extended, never reset. Labels the version did not
 * have are cleared too (graphToDoc only sets labels it is given).
 */
export function restoreGraph(doc: Y.Doc, graph: Graph, layout: Layout, origin: unknown = null): void {
  doc.transact(() => {
    graphToDoc(graph, doc, { layout, origin });
    for (const node of listNodes(doc)) {
      if (node.label !== null && layout[node.id]?.label === undefined) setLabel(doc, node.id, null, origin);
    }
  }, origin);
}
