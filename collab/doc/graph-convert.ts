import * as Y from 'yjs';
import type { Graph, GraphEdge, GraphNode } from '../../compute/graph';
import { addEdges } from './edges';
import { CollabDocError } from './errors';
import { jsonEqual, toJsonValue, toXY } from './json';
import { autoLayout } from './layout';
import { setMeta, type MetaPatch } from './meta';
import { moveNode, setLabel, writeNewNode } from './nodes';
import { listNodes, readNodeMap, visibleEdges } from './read';
import { NODE_FIELDS, SCHEMA_VERSION, edgesMap, metaMap, nodesMap, type JsonValue, type XY } from './schema';

/** What the canvas needs besides the IR: where each node sits and what the user called it. */
export interface NodeLayout {
  readonly x: number;
  readonly y: number;
  readonly label?: string;
}

export type Layout = Readonly<Record<string, NodeLayout>>;

/**
 * The compute/ IR of the document: nodes sorted by id, params as plain JSON, and only edges
 * whose both ends exist (a dangling edge is a transient collaboration artefact, not a user error).
 */
export function docToGraph(doc: Y.Doc): Graph {
  const nodes: GraphNode[] = listNodes(doc).map((n) => ({ id: n.id, type: n.type, params: n.params }));
  const edges: GraphEdge[] = visibleEdges(doc).map((e) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: e.targetHandle,
  }));
  return { nodes, edges };
}

/** The UI side map that docToGraph leaves out: positions and labels, by node id. */
export function docLayout(doc: Y.Doc): Record<string, NodeLayout> {
  const out: Record<string, NodeLayout> = {};
  for (const n of listNodes(doc)) {
    out[n.id] = n.label === null ? { x: n.position.x, y: n.position.y } : { x: n.position.x, y: n.position.y, label: n.label };
  }
  return out;
}

export interface GraphToDocOptions {
  /** Positions and labels by node id; nodes without one keep their current position or are auto-laid out. */
  readonly layout?: Layout;
  readonly origin?: unknown;
}

/**
 * Makes the document hold `graph`, in one transaction, touching only what differs: nodes that keep
 * their id and type keep their Y.Map (so a peer's concurrent move or param edit is not lost),
 * changed params are set one by one, removed params deleted, and missing nodes and edges removed.
 * Used for "load template", "import" and server-side seeding. Invalid input throws before writing.
 */
export function graphToDoc(graph: Graph, doc: Y.Doc, options: GraphToDocOptions = {}): void {
  const nodeIds = new Set<string>();
  for (const n of graph.nodes) {
    if (typeof n.id !== 'string' || n.id.length === 0) throw new CollabDocError('INVALID_ID', 'Node id must be a non-empty string');
    if (nodeIds.has(n.id)) throw new CollabDocError('DUPLICATE_NODE_ID', `Graph has two nodes with id ${n.id}`);
    nodeIds.add(n.id);
  }
  const edgeIds = new Set<string>();
  for (const e of graph.edges) {
    if (edgeIds.has(e.id)) throw new CollabDocError('DUPLICATE_EDGE_ID', `Graph has two edges with id ${e.id}`);
    edgeIds.add(e.id);
  }
  const params = new Map(
    graph.nodes.map((n) => [
      n.id,
      Object.entries(n.params ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toJsonValue(v, `Node ${n.id} param ${k}`)] as [string, JsonValue]),
    ]),
  );
  const given = new Map(Object.entries(options.layout ?? {}).map(([id, l]) => [id, l] as const));
  for (const [id, l] of given) toXY(l, `Layout of ${id}`);
  const auto = autoLayout(graph);

  doc.transact(() => {
    const nodes = nodesMap(doc);
    const edges = edgesMap(doc);
    edges.forEach((_, id) => {
      if (!edgeIds.has(id)) edges.delete(id);
    });
    for (const id of [...nodes.keys()]) {
      if (!nodeIds.has(id)) nodes.delete(id);
    }
    for (const n of graph.nodes) {
      const layout = given.get(n.id);
      const existing = nodes.get(n.id);
      const nodeParams = params.get(n.id) ?? [];
      if (existing instanceof Y.Map && existing.get(NODE_FIELDS.type) === n.type) {
        syncParams(existing, nodeParams);
        if (layout) {
          moveNode(doc, n.id, { x: layout.x, y: layout.y });
          if (layout.label !== undefined) setLabel(doc, n.id, layout.label);
        }
        continue;
      }
      const previous = existing instanceof Y.Map ? readNodeMap(n.id, existing).position : null;
      if (existing !== undefined) nodes.delete(n.id);
      const position: XY = layout ? { x: layout.x, y: layout.y } : (previous ?? auto.get(n.id) ?? { x: 0, y: 0 });
      writeNewNode(doc, { id: n.id, type: n.type, position, label: layout?.label ?? null, params: Object.fromEntries(nodeParams) });
    }
    const toAdd = graph.edges.filter((e) => {
      const current = edges.get(e.id);
      const same =
        current &&
        current.source === e.source &&
        current.target === e.target &&
        (current.sourceHandle ?? null) === (e.sourceHandle ?? null) &&
        (current.targetHandle ?? null) === (e.targetHandle ?? null);
      if (current && !same) edges.delete(e.id);
      return !same;
    });
    // Edges to nodes the graph does not have are dropped (the IR may carry them; the doc does not).
    addEdges(doc, toAdd);
    if (metaMap(doc).get('schemaVersion') === undefined) metaMap(doc).set('schemaVersion', SCHEMA_VERSION);
  }, options.origin ?? null);
}

function syncParams(node: Y.Map<unknown>, wanted: readonly [string, JsonValue][]): void {
  let map = node.get(NODE_FIELDS.params);
  if (!(map instanceof Y.Map)) {
    map = new Y.Map<JsonValue>();
    node.set(NODE_FIELDS.params, map);
  }
  const params = map as Y.Map<JsonValue>;
  const keep = new Set(wanted.map(([k]) => k));
  for (const k of [...params.keys()]) if (!keep.has(k)) params.delete(k);
  for (const [k, v] of wanted) if (!jsonEqual(params.get(k), v)) params.set(k, v);
}

export interface CreateDocOptions extends GraphToDocOptions {
  readonly meta?: MetaPatch;
  readonly now?: () => number;
}

/** A fresh Y.Doc holding `graph` (and optional metadata). */
export function createDocFromGraph(graph: Graph, options: CreateDocOptions = {}): Y.Doc {
  const doc = new Y.Doc();
  graphToDoc(graph, doc, options);
  if (options.meta) setMeta(doc, options.meta, options.origin ?? null, options.now);
  return doc;
}
