import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdges } from '../doc/edges';
import { addNodes } from '../doc/nodes';
import { listEdges, listNodes, readNode } from '../doc/read';
import { copySelection, parseClipboard, pasteSelection, serializeClipboard } from './clipboard';
import { deleteSelection } from './selection';

function chain(): Y.Doc {
  const doc = new Y.Doc();
  addNodes(doc, [
    { id: 'in', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } },
    { id: 'd1', type: 'Dense', label: 'hidden', position: { x: 100, y: 0 }, params: { units: 8 } },
    { id: 'r1', type: 'ReLU', position: { x: 200, y: 0 } },
  ]);
  addEdges(doc, [
    { id: 'e1', source: 'in', target: 'd1' },
    { id: 'e2', source: 'd1', target: 'r1' },
  ]);
  return doc;
}

describe('copy / paste', () => {
  it('copies selected nodes with the edges between them only', () => {
    const payload = copySelection(chain(), ['d1', 'r1', 'missing']);
    expect(payload.nodes.map((n) => n.id)).toEqual(['d1', 'r1']);
    expect(payload.edges.map((e) => e.id)).toEqual(['e2']);
  });

  it('pastes with fresh ids, remapped edges and offset positions, as one transaction', () => {
    const doc = chain();
    const text = serializeClipboard(copySelection(doc, ['d1', 'r1']));
    const payload = parseClipboard(text)!;
    let n = 0;
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const result = pasteSelection(doc, payload, { makeNodeId: () => `p${++n}`, makeEdgeId: () => 'pe', offset: { x: 10, y: 20 } });
    expect(transactions).toBe(1);
    expect(Object.fromEntries(result.idMap)).toEqual({ d1: 'p1', r1: 'p2' });
    expect(readNode(doc, 'p1')).toEqual({ id: 'p1', type: 'Dense', label: 'hidden', position: { x: 110, y: 20 }, params: { units: 8 } });
    expect(readNode(doc, 'p2')?.position).toEqual({ x: 210, y: 20 });
    expect(listEdges(doc).find((e) => e.id === 'pe')).toMatchObject({ source: 'p1', target: 'p2' });
    expect(result.edgeIds).toEqual(['pe']);
    // the originals are untouched
    expect(readNode(doc, 'd1')?.position).toEqual({ x: 100, y: 0 });
    expect(listNodes(doc)).toHaveLength(5);
  });

  it('pasting twice gives distinct ids', () => {
    const doc = chain();
    const payload = copySelection(doc, ['d1']);
    const a = pasteSelection(doc, payload);
    const b = pasteSelection(doc, payload);
    expect(a.nodeIds[0]).not.toBe(b.nodeIds[0]);
    expect(listNodes(doc)).toHaveLength(5);
  });

  it('parseClipboard rejects text that is not a selection', () => {
    expect(parseClipboard('hello')).toBeNull();
    expect(parseClipboard('{"format":"other"}')).toBeNull();
    expect(parseClipboard(JSON.stringify({ format: 'cyxwiz.graph-selection', version: 1, nodes: [{ id: 'x' }], edges: [] }))).toBeNull();
    expect(parseClipboard(JSON.stringify({ format: 'cyxwiz.graph-selection', version: 2, nodes: [], edges: [] }))).toBeNull();
  });
});

describe('deleteSelection', () => {
  it('removes selected nodes, their edges and selected edges in one transaction', () => {
    const doc = chain();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    deleteSelection(doc, { nodeIds: ['r1'], edgeIds: ['e1'] }, null);
    expect(transactions).toBe(1);
    expect(listNodes(doc).map((n) => n.id)).toEqual(['d1', 'in']);
    expect(listEdges(doc)).toEqual([]);
  });
});
