import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdges } from '../doc/edges';
import { addNodes, moveNode, removeNodes } from '../doc/nodes';
import { installDanglingEdgeCleanup } from '../doc/dangling';
import { listEdges } from '../doc/read';
import { nodesMap } from '../doc/schema';
import { deliver, replicaOf } from '../doc/testing/replicas';
import { docToFlow } from './doc-to-flow';
import { FlowStore, flowStoreFor } from './flow-store';
import { EMPTY_LOCAL_STATE, LocalFlowStore, reduceEdgeChanges, reduceNodeChanges } from './local-state';

function doc3(): Y.Doc {
  const doc = new Y.Doc();
  addNodes(doc, [
    { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } },
    { id: 'b', type: 'Dense', label: 'hidden', position: { x: 100, y: 0 }, params: { units: 8 } },
    { id: 'c', type: 'ReLU', position: { x: 200, y: 0 } },
  ]);
  addEdges(doc, [
    { id: 'e1', source: 'a', target: 'b' },
    { id: 'e2', source: 'b', target: 'c', sourceHandle: 'out' },
  ]);
  return doc;
}

describe('docToFlow', () => {
  it('maps nodes and edges to React Flow objects', () => {
    const flow = docToFlow(doc3());
    expect(flow.nodes[1]).toEqual({
      id: 'b',
      type: 'layer',
      position: { x: 100, y: 0 },
      data: { layerType: 'Dense', label: 'hidden', params: { units: 8 } },
      selected: false,
      dragging: false,
    });
    expect(flow.edges[1]).toEqual({ id: 'e2', source: 'b', sourceHandle: 'out', target: 'c', targetHandle: null, selected: false });
  });

  it('hides edges whose node is gone', () => {
    const doc = doc3();
    nodesMap(doc).delete('c'); // as a peer without cleanup would leave it
    expect(docToFlow(doc).edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('merges selection, drag position and measured size from local state, never from the doc', () => {
    const doc = doc3();
    const before = Y.encodeStateAsUpdate(doc);
    let local = reduceNodeChanges(EMPTY_LOCAL_STATE, [
      { id: 'a', type: 'select', selected: true },
      { id: 'b', type: 'position', position: { x: 150, y: 30 }, dragging: true },
      { id: 'c', type: 'dimensions', dimensions: { width: 120, height: 40 } },
    ]);
    local = reduceEdgeChanges(local, [{ id: 'e1', type: 'select', selected: true }]);
    const flow = docToFlow(doc, local);
    expect(flow.nodes.map((n) => [n.id, n.selected, n.dragging, n.position])).toEqual([
      ['a', true, false, { x: 0, y: 0 }],
      ['b', false, true, { x: 150, y: 30 }],
      ['c', false, false, { x: 200, y: 0 }],
    ]);
    expect(flow.nodes[2]?.measured).toEqual({ width: 120, height: 40 });
    expect(flow.edges[0]?.selected).toBe(true);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    // drag end clears the local override
    local = reduceNodeChanges(local, [{ id: 'b', type: 'position', position: { x: 150, y: 30 }, dragging: false }]);
    expect(local.dragging.size).toBe(0);
  });

  it('reducers return the same state object when nothing local changed', () => {
    expect(reduceNodeChanges(EMPTY_LOCAL_STATE, [{ id: 'a', type: 'position', position: { x: 1, y: 1 } }])).toBe(EMPTY_LOCAL_STATE);
    expect(reduceEdgeChanges(EMPTY_LOCAL_STATE, [{ id: 'e', type: 'select', selected: false }])).toBe(EMPTY_LOCAL_STATE);
  });
});

describe('FlowStore', () => {
  it('caches the snapshot and keeps identity of untouched nodes and edges', () => {
    const doc = doc3();
    const local = new LocalFlowStore();
    const store = new FlowStore(doc, local);
    let notified = 0;
    store.subscribe(() => notified++);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    moveNode(doc, 'b', { x: 1, y: 2 });
    const second = store.getSnapshot();
    expect(notified).toBe(1);
    expect(second).not.toBe(first);
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[1]).not.toBe(first.nodes[1]);
    expect(second.edges).toBe(first.edges);
    local.update((s) => reduceNodeChanges(s, [{ id: 'c', type: 'select', selected: true }]));
    expect(store.getSnapshot().nodes[2]?.selected).toBe(true);
    store.destroy();
  });

  it('a remote update and the clean-up transaction it triggers notify once', () => {
    const doc = doc3();
    installDanglingEdgeCleanup(doc);
    const peer = replicaOf(doc);
    nodesMap(peer).delete('c'); // a peer that removes the node but not its edge
    const store = flowStoreFor(doc, new LocalFlowStore());
    let notified = 0;
    let transactions = 0;
    store.subscribe(() => notified++);
    doc.on('afterTransaction', () => transactions++);
    deliver(peer, doc);
    expect(transactions).toBe(2); // the update, then the sweep
    expect(notified).toBe(1);
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e1']);
    expect(store.getSnapshot().edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('local delete removes attached edges without a clean-up pass', () => {
    const doc = doc3();
    removeNodes(doc, ['c']);
    expect(docToFlow(doc).edges.map((e) => e.id)).toEqual(['e1']);
  });
});
