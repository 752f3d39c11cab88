import type * as Y from 'yjs';

/**
 * The shape of one model's collaborative document. Everything a peer may edit concurrently is a
 * Y type of its own so that unrelated edits merge instead of overwriting each other:
 *
 *   doc.getMap('nodes')  Y.Map<nodeId, Y.Map>   one Y.Map per node, fields below (NODE_FIELDS)
 *   doc.getMap('edges')  Y.Map<edgeId, EdgeRecord>   plain, immutable records
 *   doc.getMap('meta')   Y.Map<string, ...>     name, description, updatedAt, schemaVersion
 *
 * Local-only UI state (selection, dragging, measured size) never goes into the document.
 */

export const SCHEMA_VERSION = 1;

export const ROOT = { nodes: 'nodes', edges: 'edges', meta: 'meta' } as const;

/** Keys inside one node's Y.Map. */
export const NODE_FIELDS = {
  /** string: layer type from the catalog, e.g. 'Dense'. */
  type: 'type',
  /** string, optional: what the user named the node; absent means "show the layer type". */
  label: 'label',
  /**
   * XY, replaced as a whole value. One atomic value (rather than separate x and y keys) means
   * two concurrent drags resolve to one user's position, never x from one and y from the other.
   */
  position: 'position',
  /** Y.Map<paramName, JsonValue>: its own map so edits of different params by different people merge. */
  params: 'params',
} as const;

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** Edges are set once and replaced whole (a reconnect is a remove + add), so a plain value suffices. */
export interface EdgeRecord {
  readonly source: string;
  readonly sourceHandle: string | null;
  readonly target: string;
  readonly targetHandle: string | null;
}

export interface EdgeView extends EdgeRecord {
  readonly id: string;
}

/** A node read out of the document as plain data. */
export interface NodeView {
  readonly id: string;
  readonly type: string;
  readonly label: string | null;
  readonly position: XY;
  readonly params: Readonly<Record<string, JsonValue>>;
}

export interface MetaView {
  readonly name: string;
  readonly description: string;
  /** Unix milliseconds of the last metadata edit; null until one happens. */
  readonly updatedAt: number | null;
  readonly schemaVersion: number;
}

export type NodeMap = Y.Map<unknown>;

export function nodesMap(doc: Y.Doc): Y.Map<NodeMap> {
  return doc.getMap<NodeMap>(ROOT.nodes);
}

export function edgesMap(doc: Y.Doc): Y.Map<EdgeRecord> {
  return doc.getMap<EdgeRecord>(ROOT.edges);
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT.meta);
}
