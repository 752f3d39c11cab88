import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import type * as Y from 'yjs';
import { addEdges, findEdgeBetween, removeEdges, type NewEdge } from '../doc/edges';
import { newId } from '../doc/ids';
import { jsonEqual, toJsonValue } from '../doc/json';
import { addNodes, moveNodes, removeNodes, setLabel, setParams, type NewNode } from '../doc/nodes';
import { readEdge, readNode } from '../doc/read';
import type { JsonValue, XY } from '../doc/schema';
import type { LayerNodeData } from './flow-types';

export interface FlowChanges {
  readonly nodes?: readonly NodeChange[];
  readonly edges?: readonly EdgeChange[];
}

/**
 * Writes the shared part of React Flow's changes into the document in ONE transaction: positions,
 * removals, additions and replacements. Selection and measured dimensions are local-only and
 * ignored here (see reduceNodeChanges). Positions are written as given; throttling drags is
 * CanvasSession's job. Changes for nodes a peer already deleted are dropped, not resurrected.
 */
export function applyFlowChanges(doc: Y.Doc, changes: FlowChanges, origin: unknown): void {
  const moves = new Map<string, XY>();
  const removedNodes: string[] = [];
  const addedNodes: NewNode[] = [];
  const replacedNodes: { id: string; data: Partial<LayerNodeData>; position: XY }[] = [];
  for (const c of changes.nodes ?? []) {
    if (c.type === 'position' && c.position) moves.set(c.id, c.position);
    else if (c.type === 'remove') removedNodes.push(c.id);
    else if (c.type === 'add') addedNodes.push(flowNodeToNewNode(c.item));
    else if (c.type === 'replace') replacedNodes.push({ id: c.id, data: c.item.data as Partial<LayerNodeData>, position: c.item.position });
  }
  const removedEdges: string[] = [];
  const addedEdges: NewEdge[] = [];
  for (const c of changes.edges ?? []) {
    if (c.type === 'remove') removedEdges.push(c.id);
    else if (c.type === 'add') addedEdges.push(c.item);
    else if (c.type === 'replace') {
      removedEdges.push(c.id);
      addedEdges.push({ ...c.item, id: c.id });
    }
  }
  doc.transact(() => {
    if (removedEdges.length > 0) removeEdges(doc, removedEdges);
    if (removedNodes.length > 0) removeNodes(doc, removedNodes);
    if (addedNodes.length > 0) addNodes(doc, addedNodes.filter((n) => readNode(doc, n.id) === null));
    for (const r of replacedNodes) replaceNode(doc, r.id, r.data, r.position);
    if (moves.size > 0) moveNodes(doc, moves);
    if (addedEdges.length > 0) addEdges(doc, addedEdges.filter((e) => readEdge(doc, e.id) === null && !edgeExists(doc, e)));
  }, origin);
}

function edgeExists(doc: Y.Doc, e: NewEdge): boolean {
  return findEdgeBetween(doc, e) !== null;
}

/** A React Flow node (e.g. from a drop of a palette item) as a document node. */
export function flowNodeToNewNode(item: { id: string; position: XY; data: Record<string, unknown> }): NewNode {
  const data = item.data as Partial<LayerNodeData>;
  return {
    id: item.id,
    type: typeof data.layerType === 'string' ? data.layerType : '',
    position: item.position,
    label: typeof data.label === 'string' ? data.label : null,
    params: (data.params ?? {}) as Record<string, unknown>,
  };
}

/** Applies a whole-node replacement as field-level edits, so unchanged params are not rewritten. */
function replaceNode(doc: Y.Doc, id: string, data: Partial<LayerNodeData>, position: XY): void {
  const current = readNode(doc, id);
  if (!current) return;
  if (data.label !== undefined && data.label !== current.label) setLabel(doc, id, data.label);
  if (data.params) {
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data.params)) {
      if (!jsonEqual(current.params[k], toJsonValue(v, `Node ${id} param ${k}`) as JsonValue)) patch[k] = v;
    }
    for (const k of Object.keys(current.params)) if (!(k in data.params)) patch[k] = undefined;
    if (Object.keys(patch).length > 0) setParams(doc, id, patch);
  }
  moveNodes(doc, [[id, position]]);
}

/**
 * React Flow's onConnect: adds the edge with a fresh id, unless the same ports are already wired
 * or an end has just been deleted by a peer. Returns the new edge id, or null.
 */
export function connectNodes(doc: Y.Doc, connection: Connection, origin: unknown, makeId: () => string = () => newId('e')): string | null {
  const edge = {
    source: connection.source,
    sourceHandle: connection.sourceHandle ?? null,
    target: connection.target,
    targetHandle: connection.targetHandle ?? null,
  };
  if (findEdgeBetween(doc, edge) !== null) return null;
  const id = makeId();
  return addEdges(doc, [{ id, ...edge }], origin)[0] ?? null;
}
