import type * as Y from 'yjs';
import { addEdges } from '../doc/edges';
import { newId } from '../doc/ids';
import { isXY } from '../doc/json';
import { addNodes } from '../doc/nodes';
import { readNode, visibleEdges } from '../doc/read';
import type { EdgeView, JsonValue, XY } from '../doc/schema';

export const CLIPBOARD_FORMAT = 'cyxwiz.graph-selection';

export interface ClipboardNode {
  readonly id: string;
  readonly type: string;
  readonly label: string | null;
  readonly position: XY;
  readonly params: Readonly<Record<string, JsonValue>>;
}

/** A copied selection: the nodes and the edges BETWEEN them (edges to unselected nodes are left out). */
export interface ClipboardPayload {
  readonly format: typeof CLIPBOARD_FORMAT;
  readonly version: 1;
  readonly nodes: readonly ClipboardNode[];
  readonly edges: readonly EdgeView[];
}

export function copySelection(doc: Y.Doc, nodeIds: Iterable<string>): ClipboardPayload {
  const nodes: ClipboardNode[] = [];
  for (const id of new Set(nodeIds)) {
    const n = readNode(doc, id);
    if (n) nodes.push({ id: n.id, type: n.type, label: n.label, position: n.position, params: n.params });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges = visibleEdges(doc).filter((e) => ids.has(e.source) && ids.has(e.target));
  return { format: CLIPBOARD_FORMAT, version: 1, nodes, edges };
}

export function serializeClipboard(payload: ClipboardPayload): string {
  return JSON.stringify(payload);
}

/**
 * Reads clipboard text back. Returns null for anything that is not our format (plain text, a
 * payload from a future version, a hand-edited one with missing fields): pasting is then a no-op.
 */
export function parseClipboard(text: string): ClipboardPayload | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  const p = raw as Partial<ClipboardPayload> | null;
  if (!p || p.format !== CLIPBOARD_FORMAT || p.version !== 1 || !Array.isArray(p.nodes) || !Array.isArray(p.edges)) return null;
  const nodesOk = p.nodes.every(
    (n: Partial<ClipboardNode> | null) =>
      !!n &&
      typeof n.id === 'string' &&
      typeof n.type === 'string' &&
      (n.label === null || typeof n.label === 'string') &&
      isXY(n.position) &&
      !!n.params &&
      typeof n.params === 'object' &&
      !Array.isArray(n.params),
  );
  const edgesOk = p.edges.every(
    (e: Partial<EdgeView> | null) =>
      !!e &&
      typeof e.id === 'string' &&
      typeof e.source === 'string' &&
      typeof e.target === 'string' &&
      (e.sourceHandle == null || typeof e.sourceHandle === 'string') &&
      (e.targetHandle == null || typeof e.targetHandle === 'string'),
  );
  return nodesOk && edgesOk ? (p as ClipboardPayload) : null;
}

export const PASTE_OFFSET: XY = { x: 40, y: 40 };

export interface PasteOptions {
  readonly origin?: unknown;
  /** Added to every copied position (default 40, 40, so the copy does not hide the original). */
  readonly offset?: XY;
  readonly makeNodeId?: () => string;
  readonly makeEdgeId?: () => string;
}

export interface PasteResult {
  readonly nodeIds: string[];
  readonly edgeIds: string[];
  /** Copied id -> new id. */
  readonly idMap: ReadonlyMap<string, string>;
}

/** Pastes with fresh ids (so the copy never collides with the original or a peer's paste), in one transaction. */
export function pasteSelection(doc: Y.Doc, payload: ClipboardPayload, options: PasteOptions = {}): PasteResult {
  const offset = options.offset ?? PASTE_OFFSET;
  const makeNodeId = options.makeNodeId ?? (() => newId('n'));
  const makeEdgeId = options.makeEdgeId ?? (() => newId('e'));
  const idMap = new Map<string, string>();
  for (const n of payload.nodes) if (!idMap.has(n.id)) idMap.set(n.id, makeNodeId());
  const nodes = [...idMap].map(([oldId, id]) => {
    const n = payload.nodes.find((c) => c.id === oldId)!;
    return { id, type: n.type, label: n.label, position: { x: n.position.x + offset.x, y: n.position.y + offset.y }, params: n.params };
  });
  const edges = payload.edges.flatMap((e) => {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    return source && target ? [{ id: makeEdgeId(), source, sourceHandle: e.sourceHandle ?? null, target, targetHandle: e.targetHandle ?? null }] : [];
  });
  let edgeIds: string[] = [];
  doc.transact(() => {
    addNodes(doc, nodes);
    edgeIds = addEdges(doc, edges);
  }, options.origin ?? null);
  return { nodeIds: nodes.map((n) => n.id), edgeIds, idMap };
}
