import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cnnClassifier, mlpClassifier, type Graph } from '../../compute/graph';
import { validateGraph } from '../../compute/validate';
import { addEdge, addEdges, findEdgeBetween, removeEdges } from './edges';
import { CollabDocError } from './errors';
import { createDocFromGraph, docLayout, docToGraph, graphToDoc } from './graph-convert';
import { readMeta, setMeta } from './meta';
import { addNode, addNodes, moveNode, removeNodes, setLabel, setParam, setParams } from './nodes';
import { listEdges, listNodes, readNode, visibleEdges } from './read';
import { edgesMap, nodesMap } from './schema';
import { createDocFromSnapshot, docToSnapshot } from './snapshot';
import { replicaOf } from './testing/replicas';

function countTransactions(doc: Y.Doc, f: () => void): number {
  let n = 0;
  const on = () => n++;
  doc.on('afterTransaction', on);
  f();
  doc.off('afterTransaction', on);
  return n;
}

/** The IR with handles normalised to null, nodes and edges sorted by id, for comparisons. */
function normalise(g: Graph): Graph {
  return {
    nodes: [...g.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).map((n) => ({ id: n.id, type: n.type, params: n.params ?? {} })),
    edges: [...g.edges]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((e) => ({ id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? null, target: e.target, targetHandle: e.targetHandle ?? null })),
  };
}

describe('node and edge accessors', () => {
  it('writes a node as nested maps and reads it back', () => {
    const doc = new Y.Doc();
    addNode(doc, { id: 'n1', type: 'Dense', label: 'hidden', position: { x: 1, y: 2 }, params: { units: 4, shape: [1, 2] } });
    const map = nodesMap(doc).get('n1')!;
    expect(map.get('params')).toBeInstanceOf(Y.Map);
    expect(map.get('position')).toEqual({ x: 1, y: 2 });
    expect(readNode(doc, 'n1')).toEqual({ id: 'n1', type: 'Dense', label: 'hidden', position: { x: 1, y: 2 }, params: { units: 4, shape: [1, 2] } });
  });

  it('each accessor is one transaction', () => {
    const doc = new Y.Doc();
    expect(countTransactions(doc, () => addNodes(doc, [{ id: 'a', type: 'Input', position: { x: 0, y: 0 } }, { id: 'b', type: 'ReLU', position: { x: 0, y: 0 } }]))).toBe(1);
    expect(countTransactions(doc, () => setParams(doc, 'a', { shape: [3], extra: 1 }))).toBe(1);
    addEdge(doc, { id: 'e', source: 'a', target: 'b' });
    // removing a node takes its edges with it, in the same transaction
    expect(countTransactions(doc, () => expect(removeNodes(doc, ['a'])).toEqual(['e']))).toBe(1);
    expect(listEdges(doc)).toEqual([]);
  });

  it('rejects bad input before writing anything', () => {
    const doc = new Y.Doc();
    addNode(doc, { id: 'a', type: 'Input', position: { x: 0, y: 0 } });
    const dup = () => addNodes(doc, [{ id: 'z', type: 'ReLU', position: { x: 0, y: 0 } }, { id: 'a', type: 'ReLU', position: { x: 0, y: 0 } }]);
    expect(dup).toThrow(expect.objectContaining({ code: 'DUPLICATE_NODE_ID' }));
    expect(readNode(doc, 'z')).toBeNull();
    expect(() => setParam(doc, 'a', 'f', () => 1)).toThrow(CollabDocError);
    expect(() => setParam(doc, 'a', 'n', Number.NaN)).toThrow(/finite/);
    expect(() => moveNode(doc, 'a', { x: Number.POSITIVE_INFINITY, y: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_VALUE' }));
    expect(() => addNode(doc, { id: '', type: 'X', position: { x: 0, y: 0 } })).toThrow(expect.objectContaining({ code: 'INVALID_ID' }));
    expect(readNode(doc, 'a')?.params).toEqual({});
  });

  it('setParam with undefined removes the param; setLabel clears with null', () => {
    const doc = new Y.Doc();
    addNode(doc, { id: 'a', type: 'Dense', label: 'x', position: { x: 0, y: 0 }, params: { units: 3 } });
    setParam(doc, 'a', 'units', undefined);
    setLabel(doc, 'a', null);
    expect(readNode(doc, 'a')).toMatchObject({ label: null, params: {} });
  });

  it('copies param values so callers cannot mutate document state in place', () => {
    const doc = new Y.Doc();
    const shape = [1, 2];
    addNode(doc, { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape } });
    shape.push(3);
    expect(readNode(doc, 'a')?.params.shape).toEqual([1, 2]);
  });

  it('edges: skips missing ends, rejects duplicates, finds an existing connection', () => {
    const doc = new Y.Doc();
    addNodes(doc, [{ id: 'a', type: 'Input', position: { x: 0, y: 0 } }, { id: 'b', type: 'Add', position: { x: 0, y: 0 } }]);
    expect(addEdge(doc, { id: 'e0', source: 'a', target: 'ghost' })).toBe(false);
    expect(addEdges(doc, [{ id: 'e1', source: 'a', target: 'b', targetHandle: 'a' }])).toEqual(['e1']);
    expect(() => addEdge(doc, { id: 'e1', source: 'a', target: 'b' })).toThrow(expect.objectContaining({ code: 'DUPLICATE_EDGE_ID' }));
    expect(findEdgeBetween(doc, { source: 'a', target: 'b', targetHandle: 'a' })).toBe('e1');
    expect(findEdgeBetween(doc, { source: 'a', target: 'b', targetHandle: 'b' })).toBeNull();
    expect(removeEdges(doc, ['e1', 'nope'])).toEqual(['e1']);
  });

  it('visibleEdges hides edges whose node is gone; listEdges still has them', () => {
    const doc = new Y.Doc();
    addNodes(doc, [{ id: 'a', type: 'Input', position: { x: 0, y: 0 } }, { id: 'b', type: 'ReLU', position: { x: 0, y: 0 } }]);
    addEdge(doc, { id: 'e', source: 'a', target: 'b' });
    nodesMap(doc).delete('b'); // what an old or buggy client might do
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e']);
    expect(visibleEdges(doc)).toEqual([]);
    edgesMap(doc).set('bad', { nonsense: true } as never);
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e']);
  });
});

describe('meta', () => {
  it('setMeta stamps updatedAt and keeps untouched fields', () => {
    const doc = new Y.Doc();
    setMeta(doc, { name: 'MNIST', description: 'digits' }, null, () => 1000);
    setMeta(doc, { name: 'MNIST v2' }, null, () => 2000);
    expect(readMeta(doc)).toEqual({ name: 'MNIST v2', description: 'digits', updatedAt: 2000, schemaVersion: 1 });
  });

  it('concurrent edits of name and description both survive', () => {
    const a = new Y.Doc();
    setMeta(a, { name: 'n', description: 'd' });
    const b = replicaOf(a);
    setMeta(a, { name: 'renamed' });
    setMeta(b, { description: 'described' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readMeta(a)).toMatchObject({ name: 'renamed', description: 'described' });
    expect(readMeta(b)).toEqual(readMeta(a));
  });
});

describe('graph IR conversion', () => {
  it('round-trips compute/ example graphs, which still validate', () => {
    for (const graph of [mlpClassifier(), cnnClassifier()]) {
      const doc = createDocFromGraph(graph);
      const back = docToGraph(doc);
      expect(normalise(back)).toEqual(normalise(graph));
      expect(validateGraph(back).ok).toBe(true);
    }
  });

  it('auto-lays out nodes by depth when no layout is given, and keeps a given one', () => {
    const graph = mlpClassifier(4, [3], 2);
    const auto = docLayout(createDocFromGraph(graph));
    expect(auto.input1).toEqual({ x: 0, y: 0 });
    expect(auto.dense1!.x).toBeGreaterThan(auto.input1!.x);
    const doc = createDocFromGraph(graph, { layout: { input1: { x: 7, y: 8, label: 'pixels' } } });
    expect(docLayout(doc).input1).toEqual({ x: 7, y: 8, label: 'pixels' });
  });

  it('graphToDoc on an existing doc changes only what differs and keeps node maps', () => {
    const graph = mlpClassifier(4, [3], 2);
    const doc = createDocFromGraph(graph);
    moveNode(doc, 'dense1', { x: 999, y: 999 });
    const denseMap = nodesMap(doc).get('dense1');
    const edited: Graph = {
      nodes: graph.nodes
        .filter((n) => n.id !== 'relu1')
        .map((n) => (n.id === 'dense1' ? { ...n, params: { units: 5 } } : n)),
      edges: [...graph.edges.filter((e) => e.source !== 'relu1' && e.target !== 'relu1'), { id: 'skip', source: 'dense1', target: 'dense2' }],
    };
    graphToDoc(edited, doc);
    expect(nodesMap(doc).get('dense1')).toBe(denseMap);
    expect(readNode(doc, 'dense1')).toMatchObject({ position: { x: 999, y: 999 }, params: { units: 5 } });
    expect(readNode(doc, 'relu1')).toBeNull();
    expect(normalise(docToGraph(doc))).toEqual(normalise(edited));
  });

  it('graphToDoc rejects duplicate ids without writing', () => {
    const doc = new Y.Doc();
    const bad: Graph = { nodes: [{ id: 'a', type: 'Input' }, { id: 'a', type: 'ReLU' }], edges: [] };
    expect(() => graphToDoc(bad, doc)).toThrow(expect.objectContaining({ code: 'DUPLICATE_NODE_ID' }));
    expect(listNodes(doc)).toEqual([]);
  });

  it('docToGraph leaves dangling edges out', () => {
    const doc = createDocFromGraph(mlpClassifier(4, [3], 2));
    nodesMap(doc).delete('relu1');
    expect(docToGraph(doc).edges.some((e) => e.source === 'relu1' || e.target === 'relu1')).toBe(false);
  });
});

describe('snapshot', () => {
  it('is plain JSON, identical on replicas, and rebuilds an equivalent doc', () => {
    const doc = createDocFromGraph(cnnClassifier(), { meta: { name: 'LeNet', description: 'small' }, now: () => 42 });
    setLabel(doc, 'conv2d1', 'first conv');
    const snap = docToSnapshot(doc);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(docToSnapshot(replicaOf(doc))).toEqual(snap);
    expect(snap.meta).toEqual({ name: 'LeNet', description: 'small', updatedAt: 42, schemaVersion: 1 });
    expect(snap.layout.conv2d1?.label).toBe('first conv');
    expect(docToSnapshot(createDocFromSnapshot(snap))).toEqual(snap);
  });
});
