import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNode, createDocFromGraph, docLayout, docToGraph, nodesMap, readNode, restoreGraph, setLabel, setParam } from './index';

const graph = {
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [4] } },
    { id: 'd1', type: 'Dense', params: { units: 8 } },
  ],
  edges: [{ id: 'e1', source: 'in', sourceHandle: 'out', target: 'd1', targetHandle: 'in' }],
};
const layout = { in: { x: 0, y: 0 }, d1: { x: 200, y: 0, label: 'Hidden' } };

describe('restoreGraph', () => {
  it('brings back the graph, positions and labels, clearing labels the version did not have', () => {
    const doc = createDocFromGraph(graph, { layout });
    addNode(doc, { id: 'extra', type: 'Dense', position: { x: 400, y: 0 } });
    setParam(doc, 'd1', 'units', 99);
    setLabel(doc, 'in', 'Pixels');
    setLabel(doc, 'd1', null);
    restoreGraph(doc, graph, layout);
    expect(docToGraph(doc)).toEqual(docToGraph(createDocFromGraph(graph, { layout })));
    expect(docLayout(doc)).toEqual(layout);
    expect(readNode(doc, 'in')?.label).toBeNull();
  });

  it('is one transaction that keeps surviving nodes’ maps, so a peer’s edit to them still merges', () => {
    const doc = createDocFromGraph(graph, { layout });
    const before = nodesMap(doc).get('d1');
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    addNode(doc, { id: 'extra', type: 'Dense', position: { x: 400, y: 0 } });
    // A peer, at the same time, changes d1's units; its update arrives after the restore.
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    setParam(peer, 'd1', 'units', 16);
    transactions = 0;
    restoreGraph(doc, graph, layout, 'restore');
    expect(transactions).toBe(1);
    expect(nodesMap(doc).get('d1')).toBe(before);
    expect(readNode(doc, 'extra')).toBeNull();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(peer));
    expect(readNode(doc, 'd1')?.params.units).toBe(16);
  });
});
