import type { NodeChange } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdge } from '../doc/edges';
import { addNode, removeNodes } from '../doc/nodes';
import { createLocalOrigin } from '../doc/origin';
import { listEdges, listNodes, readNode } from '../doc/read';
import { deliver, replicaOf } from '../doc/testing/replicas';
import { applyFlowChanges, connectNodes } from './apply-flow-changes';

function twoNodes(): Y.Doc {
  const doc = new Y.Doc();
  addNode(doc, { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } });
  addNode(doc, { id: 'b', type: 'Dense', position: { x: 100, y: 0 }, params: { units: 2 } });
  addEdge(doc, { id: 'e', source: 'a', target: 'b' });
  return doc;
}

function updatesDuring(doc: Y.Doc, f: () => void): { origin: unknown }[] {
  const seen: { origin: unknown }[] = [];
  const on = (_u: Uint8Array, origin: unknown) => seen.push({ origin });
  doc.on('update', on);
  f();
  doc.off('update', on);
  return seen;
}

describe('applyFlowChanges', () => {
  const origin = createLocalOrigin('alice');

  it('writes positions, removals and additions in one transaction with the given origin', () => {
    const doc = twoNodes();
    const updates = updatesDuring(doc, () =>
      applyFlowChanges(
        doc,
        {
          nodes: [
            { id: 'a', type: 'position', position: { x: 5, y: 6 } },
            { type: 'add', item: { id: 'c', position: { x: 1, y: 1 }, data: { layerType: 'ReLU', label: null, params: {} } } },
            { id: 'b', type: 'remove' },
          ],
          edges: [{ type: 'add', item: { id: 'e2', source: 'a', target: 'c' } }],
        },
        origin,
      ),
    );
    expect(updates).toEqual([{ origin }]);
    expect(readNode(doc, 'a')?.position).toEqual({ x: 5, y: 6 });
    expect(readNode(doc, 'c')).toMatchObject({ type: 'ReLU', position: { x: 1, y: 1 } });
    expect(readNode(doc, 'b')).toBeNull();
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e2']); // 'e' went with node b
  });

  it('never writes selection or measured dimensions to the document', () => {
    const doc = twoNodes();
    const local: NodeChange[] = [
      { id: 'a', type: 'select', selected: true },
      { id: 'a', type: 'dimensions', dimensions: { width: 120, height: 40 } },
    ];
    const before = Y.encodeStateAsUpdate(doc);
    expect(updatesDuring(doc, () => applyFlowChanges(doc, { nodes: local, edges: [{ id: 'e', type: 'select', selected: true }] }, origin))).toEqual([]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('a replace becomes field-level edits, so a peer’s concurrent edit of another param survives', () => {
    const alice = twoNodes();
    const bob = replicaOf(alice);
    applyFlowChanges(bob, { nodes: [{ id: 'b', type: 'replace', item: { id: 'b', position: { x: 100, y: 0 }, data: { layerType: 'Dense', label: 'head', params: { units: 2, useBias: false } } } }] }, origin);
    applyFlowChanges(alice, { nodes: [{ id: 'b', type: 'replace', item: { id: 'b', position: { x: 100, y: 0 }, data: { layerType: 'Dense', label: null, params: { units: 9 } } } }] }, origin);
    deliver(alice, bob);
    deliver(bob, alice);
    expect(readNode(alice, 'b')).toMatchObject({ label: 'head', params: { units: 9, useBias: false } });
    expect(readNode(bob, 'b')).toEqual(readNode(alice, 'b'));
  });

  it('drops changes for nodes a peer already deleted instead of resurrecting them', () => {
    const doc = twoNodes();
    removeNodes(doc, ['b']);
    applyFlowChanges(doc, { nodes: [{ id: 'b', type: 'position', position: { x: 1, y: 1 } }] }, origin);
    expect(listNodes(doc).map((n) => n.id)).toEqual(['a']);
  });

  it('edge remove, and an edge add that duplicates an existing id or connection, are handled', () => {
    const doc = twoNodes();
    applyFlowChanges(doc, { edges: [{ type: 'add', item: { id: 'e', source: 'a', target: 'b' } }, { type: 'add', item: { id: 'x', source: 'a', target: 'b' } }] }, origin);
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e']);
    applyFlowChanges(doc, { edges: [{ id: 'e', type: 'remove' }] }, origin);
    expect(listEdges(doc)).toEqual([]);
  });
});

describe('connectNodes', () => {
  it('adds an edge with a fresh id once, and refuses a missing end', () => {
    const doc = twoNodes();
    applyFlowChanges(doc, { edges: [{ id: 'e', type: 'remove' }] }, null);
    const conn = { source: 'a', target: 'b', sourceHandle: null, targetHandle: null };
    const id = connectNodes(doc, conn, null);
    expect(id).toMatch(/^e_/);
    expect(connectNodes(doc, conn, null)).toBeNull();
    expect(connectNodes(doc, { ...conn, target: 'gone' }, null)).toBeNull();
    expect(listEdges(doc).map((e) => e.id)).toEqual([id]);
  });
});
