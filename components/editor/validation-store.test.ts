import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNode, moveNode, setParam } from '@/collab/doc';
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
    expect(snapshot.problems.find((p) => p.code === 'INVALID_PARAM')?.message).toBe('units must be at least 1 (got 0)');

    // Moving a node changes nothing the validator looks at: same snapshot, no re-render.
    moveNode(doc, 'd', { x: 50, y: 50 });
    frames.flush();
    expect(notified).toBe(1);
    expect(store.getSnapshot()).toBe(snapshot);
    store.destroy();
  });
});
