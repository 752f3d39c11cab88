import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdge } from '../doc/edges';
import { addNode, moveNode, removeNodes, setParam } from '../doc/nodes';
import { createLocalOrigin } from '../doc/origin';
import { listEdges, readNode } from '../doc/read';
import { replicaOf, syncAll } from '../doc/testing/replicas';
import { createUndoController } from './undo';

function base(): Y.Doc {
  const doc = new Y.Doc();
  addNode(doc, { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } });
  addNode(doc, { id: 'b', type: 'Dense', position: { x: 100, y: 0 }, params: { units: 2, useBias: true } });
  addEdge(doc, { id: 'e', source: 'a', target: 'b' });
  return doc;
}

describe('per-user undo', () => {
  it('undo reverts only my edits, not a peer’s, on the same node (two docs, two origins)', () => {
    const alice = base();
    const bob = replicaOf(alice);
    const aliceOrigin = createLocalOrigin('alice');
    const bobOrigin = createLocalOrigin('bob');
    const aliceUndo = createUndoController(alice, aliceOrigin, { captureTimeoutMs: 0 });
    const bobUndo = createUndoController(bob, bobOrigin, { captureTimeoutMs: 0 });

    setParam(alice, 'b', 'units', 64, aliceOrigin);
    setParam(bob, 'b', 'useBias', false, bobOrigin);
    moveNode(bob, 'a', { x: 50, y: 50 }, bobOrigin);
    syncAll(alice, bob);

    expect(aliceUndo.canUndo()).toBe(true);
    aliceUndo.undo();
    syncAll(alice, bob);
    for (const d of [alice, bob]) {
      expect(readNode(d, 'b')?.params).toEqual({ units: 2, useBias: false });
      expect(readNode(d, 'a')?.position).toEqual({ x: 50, y: 50 });
    }
    expect(aliceUndo.canUndo()).toBe(false); // bob's edits never entered alice's stack

    bobUndo.undo(); // the move
    bobUndo.undo(); // the param
    syncAll(alice, bob);
    expect(readNode(alice, 'b')?.params).toEqual({ units: 2, useBias: true });
    expect(readNode(alice, 'a')?.position).toEqual({ x: 0, y: 0 });

    aliceUndo.redo();
    expect(readNode(alice, 'b')?.params.units).toBe(64);
  });

  it('undo of a node delete restores the node with its params and edges in one step', () => {
    const doc = base();
    const origin = createLocalOrigin();
    const undo = createUndoController(doc, origin, { captureTimeoutMs: 0 });
    removeNodes(doc, ['b'], origin);
    expect(listEdges(doc)).toEqual([]);
    undo.undo();
    expect(readNode(doc, 'b')).toMatchObject({ type: 'Dense', params: { units: 2, useBias: true } });
    expect(listEdges(doc).map((e) => e.id)).toEqual(['e']);
  });

  it('writes of a gesture are one step however long it lasts; the next edit is a new step', async () => {
    const doc = base();
    const origin = createLocalOrigin();
    const undo = createUndoController(doc, origin, { captureTimeoutMs: 5 });
    setParam(doc, 'b', 'units', 3, origin);
    undo.beginGesture();
    moveNode(doc, 'b', { x: 110, y: 0 }, origin);
    await new Promise((r) => setTimeout(r, 20)); // a pause longer than captureTimeout mid-drag
    moveNode(doc, 'b', { x: 120, y: 0 }, origin);
    undo.endGesture();
    moveNode(doc, 'b', { x: 130, y: 0 }, origin);

    undo.undo();
    expect(readNode(doc, 'b')?.position).toEqual({ x: 120, y: 0 });
    undo.undo();
    expect(readNode(doc, 'b')?.position).toEqual({ x: 100, y: 0 });
    expect(readNode(doc, 'b')?.params.units).toBe(3);
    undo.undo();
    expect(readNode(doc, 'b')?.params.units).toBe(2);
  });

  it('notifies subscribers when the stacks change', () => {
    const doc = base();
    const origin = createLocalOrigin();
    const undo = createUndoController(doc, origin);
    let calls = 0;
    const off = undo.subscribe(() => calls++);
    setParam(doc, 'b', 'units', 3, origin);
    expect(calls).toBe(1);
    undo.undo(); // popped from the undo stack, pushed onto the redo stack
    expect(calls).toBeGreaterThan(1);
    const seen = calls;
    off();
    setParam(doc, 'b', 'units', 4, origin);
    expect(calls).toBe(seen);
  });
});
