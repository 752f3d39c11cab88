import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addEdge, addNode, moveNode, setLabel, setParam } from '@/collab/doc';
import { ValidationStore } from './validation-store';

function manualFrames() {
  const queue: (() => void)[] = [];
  return { schedule: (run: () => void) => void queue.push(run), flush: () => queue.splice(0).forEach((run) => run()), queue };
}

describe('ValidationStore', () => {
  it('validates at most once per frame and notifies only when the graph changed', () => {
    const doc = new Y.Doc();
    const frames = manualFrames();
    const store = new ValidationStore(doc, frames.schedule);
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.getSnapshot().problems.map((p) => p.code)).toEqual(['NO_INPUT', 'NO_LOSS']);

    addNode(doc, { id: 'd', type: 'Dense', position: { x: 0, y: 0 }, params: { units: 4 } });
    setParam(doc, 'd', 'units', 0);
    expect(frames.queue).toHaveLength(1); // two transactions, one scheduled run
    frames.flush();
    expect(notified).toBe(1);
    const snapshot = store.getSnapshot();
    expect(snapshot.problems.find((p) => p.code === 'INVALID_PARAM')?.message).toBe('Dense 1: units must be at least 1 (got 0)');

    // Moving a node changes nothing the validator looks at: same snapshot, no re-render.
    moveNode(doc, 'd', { x: 50, y: 50 });
    frames.flush();
    expect(notified).toBe(1);
    expect(store.getSnapshot()).toBe(snapshot);

    // A name the person gave the layer leads its messages from then on.
    setLabel(doc, 'd', 'Hidden');
    frames.flush();
    expect(notified).toBe(2);
    expect(store.getSnapshot().problems.find((p) => p.code === 'INVALID_PARAM')?.message).toBe('Hidden: units must be at least 1 (got 0)');
    store.destroy();
  });

  it('adds the chosen dataset’s mismatches on their nodes, and drops them when the dataset fits', () => {
    const doc = new Y.Doc();
    const frames = manualFrames();
    const store = new ValidationStore(doc, frames.schedule);
    addNode(doc, { id: 'in', type: 'Input', position: { x: 0, y: 0 }, params: { shape: [64] } });
    addNode(doc, { id: 'logits', type: 'Dense', position: { x: 0, y: 0 }, params: { units: 10 } });
    addNode(doc, { id: 'labels', type: 'Labels', position: { x: 0, y: 0 } });
    addNode(doc, { id: 'loss', type: 'SoftmaxCrossEntropy', position: { x: 0, y: 0 } });
    addEdge(doc, { id: 'e1', source: 'in', target: 'logits', targetHandle: 'in' });
    addEdge(doc, { id: 'e2', source: 'logits', target: 'loss', targetHandle: 'logits' });
    addEdge(doc, { id: 'e3', source: 'labels', target: 'loss', targetHandle: 'labels' });
    frames.flush();
    expect(store.getSnapshot().ok).toBe(true);

    let notified = 0;
    store.subscribe(() => notified++);
    store.setDataset({ name: 'Spirals', featureShape: [2], numClasses: 3 });
    frames.flush();
    expect(notified).toBe(1);
    expect(store.getSnapshot().ok).toBe(false);
    expect(store.getSnapshot().problems.map((p) => [p.code, p.nodeId])).toEqual([
      ['DATASET_FEATURES_MISMATCH', 'in'],
      ['DATASET_CLASSES_MISMATCH', 'logits'],
    ]);

    // The same facts again change nothing; fitting ones clear the problems.
    store.setDataset({ name: 'Spirals', featureShape: [2], numClasses: 3 });
    expect(frames.queue).toHaveLength(0);
    store.setDataset({ name: 'Digits', featureShape: [64], numClasses: 10 });
    frames.flush();
    expect(store.getSnapshot().problems).toEqual([]);
    store.setDataset(null);
    frames.flush();
    expect(store.getSnapshot().ok).toBe(true);
    store.destroy();
  });
});
