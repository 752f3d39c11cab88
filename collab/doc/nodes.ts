import * as Y from 'yjs';
import { CollabDocError } from './errors';
import { toJsonValue, toXY } from './json';
import { NODE_FIELDS, edgesMap, nodesMap, type JsonValue, type NodeMap, type XY } from './schema';

export interface NewNode {
  readonly id: string;
  readonly type: string;
  readonly position: XY;
  readonly label?: string | null;
  readonly params?: Readonly<Record<string, unknown>>;
}

function liveNode(doc: Y.Doc, id: string): NodeMap | null {
  const node = nodesMap(doc).get(id);
  return node instanceof Y.Map ? node : null;
}

function checkId(id: unknown, what: string): void {
  if (typeof id !== 'string' || id.length === 0) throw new CollabDocError('INVALID_ID', `${what} id must be a non-empty string`);
}

/**
 * Writes one node map into an open transaction. The map is attached to the document first and
 * filled afterwards so every field is an ordinary integrated item (prelim content of nested maps
 * is easy to get subtly wrong); the surrounding transaction makes the whole node appear at once.
 */
export function writeNewNode(doc: Y.Doc, node: NewNode): void {
  checkId(node.id, 'Node');
  if (typeof node.type !== 'string' || node.type.length === 0) {
    throw new CollabDocError('INVALID_VALUE', `Node ${node.id}: type must be a non-empty string`);
  }
  const position = toXY(node.position, `Node ${node.id} position`);
  const params: [string, JsonValue][] = Object.entries(node.params ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, toJsonValue(v, `Node ${node.id} param ${k}`)]);
  const nodes = nodesMap(doc);
  if (nodes.has(node.id)) throw new CollabDocError('DUPLICATE_NODE_ID', `A node with id ${node.id} already exists`);
  const map: NodeMap = new Y.Map();
  nodes.set(node.id, map);
  map.set(NODE_FIELDS.type, node.type);
  if (node.label != null && node.label !== '') map.set(NODE_FIELDS.label, node.label);
  map.set(NODE_FIELDS.position, position);
  const paramMap = new Y.Map<JsonValue>();
  map.set(NODE_FIELDS.params, paramMap);
  for (const [k, v] of params) paramMap.set(k, v);
}

/** Adds nodes in one transaction. Throws DUPLICATE_NODE_ID (nothing written) if an id is taken. */
export function addNodes(doc: Y.Doc, nodes: readonly NewNode[], origin: unknown = null): void {
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.id) || nodesMap(doc).has(n.id)) {
      throw new CollabDocError('DUPLICATE_NODE_ID', `A node with id ${n.id} already exists`);
    }
    seen.add(n.id);
  }
  doc.transact(() => {
    for (const n of nodes) writeNewNode(doc, n);
  }, origin);
}

export function addNode(doc: Y.Doc, node: NewNode, origin: unknown = null): void {
  addNodes(doc, [node], origin);
}

/**
 * Moves nodes. Returns how many existed. A node deleted by someone else is skipped rather than
 * recreated: writing into a missing node would resurrect half a node.
 */
export function moveNodes(doc: Y.Doc, positions: ReadonlyMap<string, XY> | Iterable<readonly [string, XY]>, origin: unknown = null): number {
  const entries = [...positions].map(([id, p]) => [id, toXY(p, `Node ${id} position`)] as const);
  let moved = 0;
  doc.transact(() => {
    for (const [id, p] of entries) {
      const node = liveNode(doc, id);
      if (!node) continue;
      const current = node.get(NODE_FIELDS.position) as XY | undefined;
      moved++;
      // Writing an unchanged position would still create an item (and an undo step).
      if (current && current.x === p.x && current.y === p.y) continue;
      node.set(NODE_FIELDS.position, p);
    }
  }, origin);
  return moved;
}

export function moveNode(doc: Y.Doc, id: string, position: XY, origin: unknown = null): boolean {
  return moveNodes(doc, [[id, position]], origin) === 1;
}

/** Sets (or with `undefined`, removes) one parameter. False when the node no longer exists. */
export function setParam(doc: Y.Doc, id: string, name: string, value: unknown, origin: unknown = null): boolean {
  return setParams(doc, id, { [name]: value }, origin);
}

/** Sets several parameters at once; `undefined` removes one. Untouched params are left alone. */
export function setParams(doc: Y.Doc, id: string, values: Readonly<Record<string, unknown>>, origin: unknown = null): boolean {
  const entries = Object.entries(values).map(
    ([k, v]) => [k, v === undefined ? undefined : toJsonValue(v, `Node ${id} param ${k}`)] as const,
  );
  let ok = false;
  doc.transact(() => {
    const node = liveNode(doc, id);
    if (!node) return;
    ok = true;
    let params = node.get(NODE_FIELDS.params);
    if (!(params instanceof Y.Map)) {
      params = new Y.Map<JsonValue>();
      node.set(NODE_FIELDS.params, params);
    }
    const map = params as Y.Map<JsonValue>;
    for (const [k, v] of entries) {
      if (v === undefined) map.delete(k);
      else map.set(k, v);
    }
  }, origin);
  return ok;
}

/** Sets the display label; null or '' clears it. False when the node no longer exists. */
export function setLabel(doc: Y.Doc, id: string, label: string | null, origin: unknown = null): boolean {
  let ok = false;
  doc.transact(() => {
    const node = liveNode(doc, id);
    if (!node) return;
    ok = true;
    if (label === null || label === '') node.delete(NODE_FIELDS.label);
    else node.set(NODE_FIELDS.label, label);
  }, origin);
  return ok;
}

/**
 * Removes nodes and every edge touching them in one transaction, so no replica (and no undo
 * step) ever sees the edges without their nodes. Removing the whole node map is also what makes
 * a delete win over a concurrent move or param edit: those land inside a map that no longer exists.
 * Returns the ids of removed edges.
 */
export function removeNodes(doc: Y.Doc, ids: Iterable<string>, origin: unknown = null): string[] {
  const doomed = new Set(ids);
  const removedEdges: string[] = [];
  if (doomed.size === 0) return removedEdges;
  doc.transact(() => {
    const edges = edgesMap(doc);
    edges.forEach((edge, edgeId) => {
      if (doomed.has(edge?.source) || doomed.has(edge?.target)) removedEdges.push(edgeId);
    });
    for (const edgeId of removedEdges) edges.delete(edgeId);
    const nodes = nodesMap(doc);
    for (const id of doomed) if (nodes.has(id)) nodes.delete(id);
  }, origin);
  return removedEdges;
}
