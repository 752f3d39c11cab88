import { afterEach, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { addEdges } from '../doc/edges';
import { addNodes, moveNode, setParam } from '../doc/nodes';
import { listEdges, listNodes, readNode } from '../doc/read';
import { REMOTE, deliver, replicaOf } from '../doc/testing/replicas';
import { CanvasSession } from './canvas-session';
import { docToFlow } from './doc-to-flow';
import { LocalFlowStore } from './local-state';
import { FakeScheduler } from './testing/fake-scheduler';

function doc3(): Y.Doc {
  const doc = new Y.Doc();
  addNodes(doc, [
    { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } },
    { id: 'b', type: 'Dense', position: { x: 100, y: 0 }, params: { units: 8 } },
    { id: 'c', type: 'ReLU', position: { x: 200, y: 0 } },
  ]);
  addEdges(doc, [
    { id: 'e1', source: 'a', target: 'b' },
    { id: 'e2', source: 'b', target: 'c' },
  ]);
  return doc;
}

const sessions: CanvasSession[] = [];
function session(doc: Y.Doc, clock = new FakeScheduler(), awareness: Awareness | null = null): CanvasSession {
  const s = new CanvasSession(doc, { local: new LocalFlowStore(), scheduler: clock, awareness });
  sessions.push(s);
  return s;
}
afterEach(() => {
  for (const s of sessions.splice(0)) s.destroy();
});

function localUpdates(doc: Y.Doc): () => number {
  let n = 0;
  doc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) n++;
  });
  return () => n;
}

describe('CanvasSession', () => {
  it('a drag: throttled doc writes, pointer-fresh local position, final write, one undo step', () => {
    const doc = doc3();
    const clock = new FakeScheduler();
    const s = session(doc, clock);
    setParam(doc, 'b', 'units', 16, s.origin); // an edit just before the drag stays its own step
    const writes = localUpdates(doc);
    for (let i = 1; i <= 60; i++) {
      s.onNodesChange([{ id: 'b', type: 'position', position: { x: 100 + i, y: i }, dragging: true }]);
      // This user sees the pointer position at once, whatever has reached the doc.
      expect(docToFlow(doc, s.local.getState()).nodes[1]?.position).toEqual({ x: 100 + i, y: i });
      clock.advance(10);
    }
    expect(writes()).toBeLessThanOrEqual(13); // 600 ms at <= 20/s, plus the leading write
    expect(writes()).toBeGreaterThanOrEqual(11);
    s.onNodesChange([{ id: 'b', type: 'position', position: { x: 160, y: 60 }, dragging: false }]);
    expect(readNode(doc, 'b')?.position).toEqual({ x: 160, y: 60 });
    expect(s.local.getState().dragging.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);

    s.undo.undo();
    expect(readNode(doc, 'b')).toMatchObject({ position: { x: 100, y: 0 }, params: { units: 16 } });
    s.undo.undo();
    expect(readNode(doc, 'b')?.params.units).toBe(8);
    expect(s.undo.canUndo()).toBe(false);
  });

  it('selection and measured sizes stay local; keyboard nudges are written directly', () => {
    const doc = doc3();
    const s = session(doc);
    const writes = localUpdates(doc);
    s.onNodesChange([
      { id: 'a', type: 'select', selected: true },
      { id: 'a', type: 'dimensions', dimensions: { width: 150, height: 50 } },
    ]);
    s.onEdgesChange([{ id: 'e1', type: 'select', selected: true }]);
    expect(writes()).toBe(0);
    expect(s.local.getState().selectedNodes).toEqual(new Set(['a']));
    s.onNodesChange([{ id: 'a', type: 'position', position: { x: 0, y: 5 }, dragging: false }]);
    expect(writes()).toBe(1);
    expect(readNode(doc, 'a')?.position).toEqual({ x: 0, y: 5 });
  });

  it('my undo leaves a peer’s concurrent edits alone', () => {
    const alice = doc3();
    const bob = replicaOf(alice);
    const sa = session(alice);
    const sb = session(bob);
    sa.onNodesChange([{ id: 'a', type: 'position', position: { x: 1, y: 1 } }]);
    sb.onNodesChange([{ id: 'c', type: 'position', position: { x: 9, y: 9 } }]);
    deliver(alice, bob);
    deliver(bob, alice);
    sa.undo.undo();
    deliver(alice, bob);
    for (const d of [alice, bob]) {
      expect(readNode(d, 'a')?.position).toEqual({ x: 0, y: 0 });
      expect(readNode(d, 'c')?.position).toEqual({ x: 9, y: 9 });
    }
  });

  it('a peer deleting the node I am dragging wins; my drag end does not bring it back', () => {
    const alice = doc3();
    const bob = replicaOf(alice);
    const clock = new FakeScheduler();
    const sa = session(alice, clock);
    sa.onNodesChange([{ id: 'b', type: 'position', position: { x: 120, y: 0 }, dragging: true }]);
    session(bob).onNodesChange([{ id: 'b', type: 'remove' }]);
    deliver(bob, alice);
    clock.advance(10);
    sa.onNodesChange([{ id: 'b', type: 'position', position: { x: 130, y: 0 }, dragging: true }]);
    sa.onNodesChange([{ id: 'b', type: 'position', position: { x: 140, y: 0 }, dragging: false }]);
    deliver(alice, bob);
    for (const d of [alice, bob]) expect(readNode(d, 'b')).toBeNull();
    expect(docToFlow(alice, sa.local.getState()).nodes.map((n) => n.id)).toEqual(['a', 'c']);
  });

  it('copy, paste (cascading offset, pasted nodes selected) and delete selection', () => {
    const doc = doc3();
    const s = session(doc);
    s.onNodesChange([
      { id: 'b', type: 'select', selected: true },
      { id: 'c', type: 'select', selected: true },
    ]);
    const payload = s.copy()!;
    expect(payload.edges.map((e) => e.id)).toEqual(['e2']);
    const first = s.paste(payload);
    const second = s.paste(payload);
    expect(readNode(doc, first.idMap.get('b')!)?.position).toEqual({ x: 140, y: 40 });
    expect(readNode(doc, second.idMap.get('b')!)?.position).toEqual({ x: 180, y: 80 });
    expect(s.local.getState().selectedNodes).toEqual(new Set(second.nodeIds));
    expect(listNodes(doc)).toHaveLength(7);

    s.deleteSelected();
    expect(listNodes(doc)).toHaveLength(5);
    expect(listEdges(doc)).toHaveLength(3);
    s.undo.undo(); // the delete is one step
    expect(listNodes(doc)).toHaveLength(7);
    expect(listEdges(doc)).toHaveLength(4);
  });

  it('onConnect adds one edge; connecting the same ports again is a no-op', () => {
    const doc = doc3();
    const s = session(doc);
    const conn = { source: 'a', sourceHandle: null, target: 'c', targetHandle: null };
    expect(s.onConnect(conn)).not.toBeNull();
    expect(s.onConnect(conn)).toBeNull();
    expect(listEdges(doc)).toHaveLength(3);
  });

  it('publishes the local node selection as presence', () => {
    const awareness = new Awareness(new Y.Doc());
    try {
      const s = session(doc3(), new FakeScheduler(), awareness);
      s.onNodesChange([{ id: 'c', type: 'select', selected: true }, { id: 'a', type: 'select', selected: true }]);
      expect(awareness.getLocalState()?.selection).toEqual(['a', 'c']);
    } finally {
      awareness.destroy();
    }
  });

  it('remote moves while I hold a selection do not disturb it', () => {
    const alice = doc3();
    const s = session(alice);
    s.onNodesChange([{ id: 'a', type: 'select', selected: true }]);
    const bob = replicaOf(alice);
    moveNode(bob, 'a', { x: 50, y: 50 });
    deliver(bob, alice);
    const node = docToFlow(alice, s.local.getState()).nodes[0];
    expect(node).toMatchObject({ id: 'a', selected: true, position: { x: 50, y: 50 } });
  });
});
