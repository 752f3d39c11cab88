import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { installDanglingEdgeCleanup } from './dangling';
import { addEdge } from './edges';
import { docToSnapshot } from './snapshot';
import { addNode, moveNode, removeNodes, setParam } from './nodes';
import { listEdges, readNode, visibleEdges } from './read';
import { nodesMap } from './schema';
import { REMOTE, deliver, recordUpdates, replicaOf, syncAll } from './testing/replicas';

/** A doc with two connected nodes, and `n` replicas of it. */
function setup(n: number): Y.Doc[] {
  const base = new Y.Doc();
  addNode(base, { id: 'a', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [4] } });
  addNode(base, { id: 'b', type: 'Dense', position: { x: 200, y: 0 }, params: { units: 8, useBias: true } });
  addEdge(base, { id: 'e1', source: 'a', target: 'b' });
  return Array.from({ length: n }, () => replicaOf(base));
}

function expectConverged(...docs: Y.Doc[]): void {
  const first = docs[0]!;
  for (const d of docs.slice(1)) expect(docToSnapshot(d)).toEqual(docToSnapshot(first));
}

describe('concurrent move and delete', () => {
  it.each([
    ['mover first', true],
    ['deleter first', false],
  ])('delete wins and leaves no half node (%s)', (_, moverFirst) => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    moveNode(alice, 'b', { x: 500, y: 500 });
    removeNodes(bob, ['b']);
    if (moverFirst) {
      deliver(alice, bob);
      deliver(bob, alice);
    } else {
      deliver(bob, alice);
      deliver(alice, bob);
    }
    for (const d of [alice, bob]) {
      expect(readNode(d, 'b')).toBeNull();
      expect(nodesMap(d).has('b')).toBe(false);
      expect(listEdges(d)).toEqual([]); // the attached edge went with the node
    }
    expectConverged(alice, bob);
  });

  it('a later move of a deleted node does not resurrect it', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    removeNodes(bob, ['b']);
    syncAll(alice, bob);
    expect(moveNode(alice, 'b', { x: 1, y: 1 })).toBe(false);
    expect(setParam(alice, 'b', 'units', 3)).toBe(false);
    syncAll(alice, bob);
    expect(readNode(bob, 'b')).toBeNull();
  });
});

describe('concurrent parameter edits', () => {
  it('edits of two different params of one node both survive', () => {
    const [alice, bob, carol] = setup(3) as [Y.Doc, Y.Doc, Y.Doc];
    setParam(alice, 'b', 'units', 64);
    setParam(bob, 'b', 'useBias', false);
    syncAll(carol, bob, alice);
    for (const d of [alice, bob, carol]) {
      expect(readNode(d, 'b')?.params).toEqual({ units: 64, useBias: false });
    }
  });

  it('edits of the same param converge to one value everywhere, whatever the delivery order', () => {
    const [alice, bob, carol] = setup(3) as [Y.Doc, Y.Doc, Y.Doc];
    setParam(alice, 'b', 'units', 16);
    setParam(bob, 'b', 'units', 32);
    setParam(carol, 'b', 'units', 48);
    // Different orders for different replicas.
    deliver(carol, alice);
    deliver(bob, alice);
    deliver(alice, bob);
    deliver(carol, bob);
    deliver(bob, carol);
    deliver(alice, carol);
    const values = [alice, bob, carol].map((d) => readNode(d, 'b')?.params.units);
    expect(new Set(values).size).toBe(1);
    expect([16, 32, 48]).toContain(values[0]);
    expectConverged(alice, bob, carol);
  });

  it('a param edit and a move of the same node both survive', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    moveNode(alice, 'b', { x: 9, y: 9 });
    setParam(bob, 'b', 'units', 5);
    syncAll(alice, bob);
    expect(readNode(alice, 'b')).toMatchObject({ position: { x: 9, y: 9 }, params: { units: 5 } });
    expectConverged(alice, bob);
  });

  it('two concurrent moves resolve to one whole position, never x from one and y from the other', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    moveNode(alice, 'b', { x: 1, y: 1 });
    moveNode(bob, 'b', { x: 2, y: 2 });
    syncAll(alice, bob);
    const p = readNode(alice, 'b')?.position;
    expect([{ x: 1, y: 1 }, { x: 2, y: 2 }]).toContainEqual(p);
    expectConverged(alice, bob);
  });
});

describe('delete node while a peer wires an edge into it', () => {
  it('hides the edge on render, cleans it up, and replicas converge', () => {
    const [alice, bob, carol] = setup(3) as [Y.Doc, Y.Doc, Y.Doc];
    // Bob and Carol run the clean-up; Alice does not, to show render-time hiding alone.
    installDanglingEdgeCleanup(bob);
    installDanglingEdgeCleanup(carol);
    addNode(bob, { id: 'c', type: 'ReLU', position: { x: 400, y: 0 } });
    syncAll(alice, bob, carol);

    removeNodes(alice, ['c']);
    addEdge(bob, { id: 'e2', source: 'b', target: 'c' });

    deliver(bob, alice);
    deliver(alice, bob);
    // Alice has no clean-up installed: the edge is in her doc but not visible.
    expect(listEdges(alice).map((e) => e.id)).toContain('e2');
    expect(visibleEdges(alice).map((e) => e.id)).toEqual(['e1']);
    // Bob's sweep removed it from his doc.
    expect(listEdges(bob).map((e) => e.id)).toEqual(['e1']);

    // Carol receives both sides in the opposite order; her sweep removes it too, and everyone converges.
    deliver(alice, carol);
    deliver(bob, carol);
    syncAll(alice, bob, carol);
    for (const d of [alice, bob, carol]) expect(listEdges(d).map((e) => e.id)).toEqual(['e1']);
    expectConverged(alice, bob, carol);
  });

  it('concurrent sweeps on two replicas do not conflict', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    installDanglingEdgeCleanup(alice);
    installDanglingEdgeCleanup(bob);
    const carol = replicaOf(alice);
    // Carol deletes node b without removing its edge (an old client, say): a raw map delete.
    nodesMap(carol).delete('b');
    deliver(carol, alice);
    deliver(carol, bob);
    expect(listEdges(alice)).toEqual([]);
    expect(listEdges(bob)).toEqual([]);
    syncAll(alice, bob, carol);
    expect(listEdges(carol)).toEqual([]);
    expectConverged(alice, bob, carol);
  });

  it('waits while updates are missing instead of deleting an edge whose node has not arrived yet', () => {
    const [alice, bob, carol] = setup(3) as [Y.Doc, Y.Doc, Y.Doc];
    installDanglingEdgeCleanup(bob);
    const aliceLog = recordUpdates(alice);
    addNode(alice, { id: 'c', type: 'ReLU', position: { x: 0, y: 0 } }); // aliceLog[0]
    moveNode(alice, 'a', { x: 5, y: 5 }); // aliceLog[1], needs [0] first
    deliver(alice, carol);
    const carolLog = recordUpdates(carol);
    addEdge(carol, { id: 'e2', source: 'b', target: 'c' });

    Y.applyUpdate(bob, aliceLog[1]!, REMOTE); // out of order: Yjs keeps it pending
    Y.applyUpdate(bob, carolLog[0]!, REMOTE); // carol's edge integrates, but its target c is in flight
    expect(visibleEdges(bob).map((e) => e.id)).toEqual(['e1']); // hidden on render...
    expect(listEdges(bob).map((e) => e.id)).toEqual(['e1', 'e2']); // ...but not deleted
    Y.applyUpdate(bob, aliceLog[0]!, REMOTE);
    expect(visibleEdges(bob).map((e) => e.id)).toEqual(['e1', 'e2']);
    expect(readNode(bob, 'a')?.position).toEqual({ x: 5, y: 5 });
  });
});

describe('offline edits', () => {
  it('a replica that edits offline merges later without losing anyone’s work', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    installDanglingEdgeCleanup(alice);
    installDanglingEdgeCleanup(bob);
    // Bob goes offline and keeps working.
    addNode(bob, { id: 'drop', type: 'Dropout', position: { x: 300, y: 100 }, params: { rate: 0.5 } });
    addEdge(bob, { id: 'e-drop', source: 'b', target: 'drop' });
    setParam(bob, 'b', 'units', 128);
    moveNode(bob, 'a', { x: -50, y: 0 });
    // Meanwhile Alice edits online.
    setParam(alice, 'b', 'useBias', false);
    addNode(alice, { id: 'relu', type: 'ReLU', position: { x: 300, y: -100 } });
    addEdge(alice, { id: 'e-relu', source: 'b', target: 'relu' });
    // Bob reconnects: sync step 1/2 in both directions.
    syncAll(bob, alice);
    for (const d of [alice, bob]) {
      expect(readNode(d, 'b')?.params).toEqual({ units: 128, useBias: false });
      expect(readNode(d, 'a')?.position).toEqual({ x: -50, y: 0 });
      expect(visibleEdges(d).map((e) => e.id)).toEqual(['e-drop', 'e-relu', 'e1']);
    }
    expectConverged(alice, bob);
  });

  it('an offline delete of a node a peer kept editing still wins, and the peer’s new edge is cleaned up', () => {
    const [alice, bob] = setup(2) as [Y.Doc, Y.Doc];
    installDanglingEdgeCleanup(alice);
    installDanglingEdgeCleanup(bob);
    removeNodes(bob, ['b']); // offline
    setParam(alice, 'b', 'units', 1);
    addNode(alice, { id: 'c', type: 'ReLU', position: { x: 0, y: 0 } });
    addEdge(alice, { id: 'e2', source: 'b', target: 'c' });
    syncAll(alice, bob);
    for (const d of [alice, bob]) {
      expect(readNode(d, 'b')).toBeNull();
      expect(listEdges(d)).toEqual([]);
      expect(readNode(d, 'c')).not.toBeNull();
    }
    expectConverged(alice, bob);
  });
});
