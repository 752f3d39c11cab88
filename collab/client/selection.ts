import type * as Y from 'yjs';
import { removeEdges } from '../doc/edges';
import { removeNodes } from '../doc/nodes';

export interface Selection {
  readonly nodeIds: Iterable<string>;
  readonly edgeIds?: Iterable<string>;
}

/** Deletes selected nodes (with their edges) and selected edges as one transaction, hence one undo step. */
export function deleteSelection(doc: Y.Doc, selection: Selection, origin: unknown): void {
  doc.transact(() => {
    removeEdges(doc, selection.edgeIds ?? []);
    removeNodes(doc, selection.nodeIds);
  }, origin);
}
