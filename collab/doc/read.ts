import * as Y from 'yjs';
import { isXY } from './json';
import {
  NODE_FIELDS,
  edgesMap,
  nodesMap,
  type EdgeRecord,
  type EdgeView,
  type JsonValue,
  type NodeMap,
  type NodeView,
  type XY,
} from './schema';

const ORIGIN_XY: XY = { x: 0, y: 0 };

/**
 * Reads a node map as plain data. Tolerant on purpose: a document is written by many clients,
 * possibly of different versions, so a missing or malformed field falls back instead of throwing.
 */
export function readNodeMap(id: string, node: NodeMap): NodeView {
  const type = node.get(NODE_FIELDS.type);
  const label = node.get(NODE_FIELDS.label);
  const position = node.get(NODE_FIELDS.position);
  const params = node.get(NODE_FIELDS.params);
  return {
    id,
    type: typeof type === 'string' ? type : '',
    label: typeof label === 'string' ? label : null,
    position: isXY(position) ? { x: position.x, y: position.y } : ORIGIN_XY,
    params: params instanceof Y.Map ? (params.toJSON() as Record<string, JsonValue>) : {},
  };
}

export function readNode(doc: Y.Doc, id: string): NodeView | null {
  const node = nodesMap(doc).get(id);
  return node instanceof Y.Map ? readNodeMap(id, node) : null;
}

export function hasNode(doc: Y.Doc, id: string): boolean {
  return nodesMap(doc).get(id) instanceof Y.Map;
}

/**
 * Every node, sorted by id. Y.Map iteration order follows the order updates arrived in, which
 * differs between replicas; sorting makes snapshots and conversions identical everywhere.
 */
export function listNodes(doc: Y.Doc): NodeView[] {
  const out: NodeView[] = [];
  nodesMap(doc).forEach((node, id) => {
    if (node instanceof Y.Map) out.push(readNodeMap(id, node));
  });
  return out.sort((a, b) => compareIds(a.id, b.id));
}

export function readEdge(doc: Y.Doc, id: string): EdgeView | null {
  const edge = edgesMap(doc).get(id);
  return isEdgeRecord(edge) ? toEdgeView(id, edge) : null;
}

/** Every well-formed edge, sorted by id, including ones whose ends are gone. */
export function listEdges(doc: Y.Doc): EdgeView[] {
  const out: EdgeView[] = [];
  edgesMap(doc).forEach((edge, id) => {
    if (isEdgeRecord(edge)) out.push(toEdgeView(id, edge));
  });
  return out.sort((a, b) => compareIds(a.id, b.id));
}

/**
 * Edges whose both ends exist. An edge can briefly point at a node another peer deleted
 * (or be malformed); it is hidden here and removed by installDanglingEdgeCleanup.
 */
export function visibleEdges(doc: Y.Doc): EdgeView[] {
  const nodes = nodesMap(doc);
  return listEdges(doc).filter((e) => nodes.get(e.source) instanceof Y.Map && nodes.get(e.target) instanceof Y.Map);
}

export function isEdgeRecord(value: unknown): value is EdgeRecord {
  const v = value as Partial<Record<keyof EdgeRecord, unknown>> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    typeof v.source === 'string' &&
    typeof v.target === 'string' &&
    (v.sourceHandle === null || v.sourceHandle === undefined || typeof v.sourceHandle === 'string') &&
    (v.targetHandle === null || v.targetHandle === undefined || typeof v.targetHandle === 'string')
  );
}

function toEdgeView(id: string, e: EdgeRecord): EdgeView {
  return { id, source: e.source, sourceHandle: e.sourceHandle ?? null, target: e.target, targetHandle: e.targetHandle ?? null };
}

/** Code-unit order, not locale order, so every machine sorts the same way. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
