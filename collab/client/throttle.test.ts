import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNode } from '../doc/nodes';
import { readNode } from '../doc/read';
import { DragThrottle } from './drag-throttle';
import { KeyedThrottle } from './keyed-throttle';
import { FakeScheduler } from './testing/fake-scheduler';

function recorder() {
  const clock = new FakeScheduler();
  const writes: { at: number; batch: Record<string, number> }[] = [];
  const throttle = new KeyedThrottle<number>((b) => writes.push({ at: clock.now(), batch: Object.fromEntries(b) }), 50, clock);
  return { clock, writes, throttle };
}

describe('KeyedThrottle', () => {
  it('writes the first value at once, then at most once per interval per key, latest value last', () => {
    const { clock, writes, throttle } = recorder();
    for (let t = 0; t < 200; t += 5) {
      throttle.push([['n', t]]);
      clock.advance(5);
    }
    clock.advance(100);
    expect(writes.map((w) => w.at)).toEqual([0, 50, 100, 150, 200]);
    expect(writes.at(-1)?.batch).toEqual({ n: 195 }); // the trailing write carries the latest value
    for (let i = 1; i < writes.length; i++) expect(writes[i]!.at - writes[i - 1]!.at).toBeGreaterThanOrEqual(50);
  });

  it('throttles each key separately and batches keys that are due together', () => {
    const { clock, writes, throttle } = recorder();
    throttle.push([['a', 1], ['b', 1]]);
    clock.advance(10);
    throttle.push([['a', 2], ['b', 2]]);
    clock.advance(10);
    throttle.push([['c', 1]]); // a new key is not held back by the others
    clock.advance(100);
    expect(writes).toEqual([
      { at: 0, batch: { a: 1, b: 1 } },
      { at: 20, batch: { c: 1 } },
      { at: 50, batch: { a: 2, b: 2 } },
    ]);
  });

  it('finish writes the final value immediately, even inside the interval, and leaves no timer', () => {
    const { clock, writes, throttle } = recorder();
    throttle.push([['n', 1]]);
    clock.advance(10);
    throttle.push([['n', 2]]);
    throttle.finish(['n']);
    expect(writes).toEqual([{ at: 0, batch: { n: 1 } }, { at: 10, batch: { n: 2 } }]);
    expect(clock.pendingTimers).toBe(0);
    // with an explicit final value
    throttle.push([['m', 1]]);
    throttle.finish(['m'], new Map([['m', 7]]));
    expect(writes.at(-1)).toEqual({ at: 10, batch: { m: 7 } });
    // a finish with nothing pending writes nothing
    throttle.finish(['m']);
    expect(writes).toHaveLength(4);
  });

  it('dispose drops pending values', () => {
    const { clock, writes, throttle } = recorder();
    throttle.push([['n', 1]]);
    throttle.push([['n', 2]]);
    throttle.dispose();
    clock.advance(1000);
    expect(writes).toHaveLength(1);
  });
});

describe('DragThrottle', () => {
  it('limits doc writes to ~20/s per node during a drag and always writes the final position', () => {
    const doc = new Y.Doc();
    addNode(doc, { id: 'n', type: 'ReLU', position: { x: 0, y: 0 } });
    const clock = new FakeScheduler();
    let transactions = 0;
    doc.on('update', () => transactions++);
    const drag = new DragThrottle(doc, null, { scheduler: clock });
    // one second of pointer moves at 120 Hz
    for (let i = 1; i <= 120; i++) {
      drag.move([['n', { x: i, y: i }]]);
      clock.advance(1000 / 120);
    }
    expect(transactions).toBeLessThanOrEqual(21);
    expect(transactions).toBeGreaterThanOrEqual(19);
    drag.end(['n']);
    expect(readNode(doc, 'n')?.position).toEqual({ x: 120, y: 120 });
    expect(clock.pendingTimers).toBe(0);
  });
});
