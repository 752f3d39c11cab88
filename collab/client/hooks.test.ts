import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { addNodes } from '../doc/nodes';
import { createLocalOrigin } from '../doc/origin';
import { useCollabGraph, usePresence, useUndoState } from './hooks';
import { initLocalPresence } from './presence';
import { createUndoController, type UndoController } from './undo';

// No DOM here: server rendering is enough to check the hooks wire stores to React correctly.

function Graph({ doc }: { doc: Y.Doc }) {
  const { nodes, edges } = useCollabGraph(doc);
  return createElement('p', null, `${nodes.map((n) => n.id).join(',')}|${edges.length}`);
}

function Peers({ awareness }: { awareness: Awareness | null }) {
  return createElement('p', null, usePresence(awareness).map((p) => p.user.name).join(',') || 'alone');
}

function UndoButtons({ undo }: { undo: UndoController }) {
  const { canUndo, canRedo } = useUndoState(undo);
  return createElement('p', null, `${canUndo}/${canRedo}`);
}

describe('hooks', () => {
  it('useCollabGraph renders the document', () => {
    const doc = new Y.Doc();
    addNodes(doc, [
      { id: 'a', type: 'Input', position: { x: 0, y: 0 } },
      { id: 'b', type: 'ReLU', position: { x: 0, y: 0 } },
    ]);
    expect(renderToString(createElement(Graph, { doc }))).toBe('<p>a,b|0</p>');
  });

  it('usePresence lists peers, and works without awareness', () => {
    const mine = new Awareness(new Y.Doc());
    const theirs = new Awareness(new Y.Doc());
    try {
      initLocalPresence(theirs, { id: 'u1', name: 'Ada', color: '#f00' });
      applyAwarenessUpdate(mine, encodeAwarenessUpdate(theirs, [theirs.clientID]), null);
      expect(renderToString(createElement(Peers, { awareness: mine }))).toBe('<p>Ada</p>');
      expect(renderToString(createElement(Peers, { awareness: null }))).toBe('<p>alone</p>');
    } finally {
      mine.destroy();
      theirs.destroy();
    }
  });

  it('useUndoState reflects the stacks', () => {
    const doc = new Y.Doc();
    const origin = createLocalOrigin();
    const undo = createUndoController(doc, origin);
    addNodes(doc, [{ id: 'a', type: 'Input', position: { x: 0, y: 0 } }], origin);
    expect(renderToString(createElement(UndoButtons, { undo }))).toBe('<p>true/false</p>');
  });
});
