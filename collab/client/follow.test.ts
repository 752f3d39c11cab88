import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { fitRemoteViewport, FollowStore, peerViewport, readPresenceViewport, setPresenceViewport, ViewportThrottle } from './follow';
import { initLocalPresence } from './presence';
import { FakeScheduler } from './testing/fake-scheduler';

const made: Awareness[] = [];
function peer(): Awareness {
  const a = new Awareness(new Y.Doc());
  made.push(a);
  return a;
}
afterEach(() => {
  for (const a of made.splice(0)) a.destroy();
});
function relay(from: Awareness, to: Awareness): void {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'server');
}

const LIMITS = { minZoom: 0.05, maxZoom: 2.5 };

/** The flow-space rectangle a viewport shows on a canvas of its size. */
function visible(v: { x: number; y: number; zoom: number }, size: { width: number; height: number }) {
  return { left: -v.x / v.zoom, top: -v.y / v.zoom, right: (size.width - v.x) / v.zoom, bottom: (size.height - v.y) / v.zoom };
}

describe('fitRemoteViewport', () => {
  it('is the remote viewport itself on a canvas of the same size', () => {
    const remote = { x: -120, y: 40, zoom: 1.5, width: 800, height: 600 };
    const v = fitRemoteViewport(remote, { width: 800, height: 600 }, LIMITS);
    expect(v.x).toBeCloseTo(-120);
    expect(v.y).toBeCloseTo(40);
    expect(v.zoom).toBeCloseTo(1.5);
  });

  it('fits the whole remote visible area into a smaller canvas, centred', () => {
    const remote = { x: -200, y: -100, zoom: 2, width: 1200, height: 800 };
    const local = { width: 600, height: 600 };
    const v = fitRemoteViewport(remote, local, LIMITS);
    // Width is the tighter side: half the canvas width, so half the zoom.
    expect(v.zoom).toBeCloseTo(1);
    const theirs = visible(remote, remote);
    const ours = visible(v, local);
    expect(ours.left).toBeCloseTo(theirs.left);
    expect(ours.right).toBeCloseTo(theirs.right);
    // Taller here: their area is inside ours, with equal margins above and below.
    expect(ours.top).toBeLessThan(theirs.top);
    expect(ours.bottom).toBeGreaterThan(theirs.bottom);
    expect(theirs.top - ours.top).toBeCloseTo(ours.bottom - theirs.bottom);
  });

  it('keeps the zoom within this canvas’s limits, still centred on their view', () => {
    const remote = { x: 0, y: 0, zoom: 2.5, width: 2000, height: 2000 };
    const v = fitRemoteViewport(remote, { width: 4000, height: 4000 }, LIMITS);
    expect(v.zoom).toBe(2.5); // 5 would be needed; 2.5 is the most
    const ours = visible(v, { width: 4000, height: 4000 });
    expect((ours.left + ours.right) / 2).toBeCloseTo(400);
    expect((ours.top + ours.bottom) / 2).toBeCloseTo(400);
  });
});

describe('viewport presence', () => {
  it('drops malformed viewports', () => {
    expect(readPresenceViewport({ viewport: { x: 1, y: 2, zoom: 1, width: 10, height: 10 } })).toEqual({ x: 1, y: 2, zoom: 1, width: 10, height: 10 });
    expect(readPresenceViewport({ viewport: { x: 1, y: 2, zoom: 0, width: 10, height: 10 } })).toBeNull();
    expect(readPresenceViewport({ viewport: { x: 'a', y: 2, zoom: 1, width: 10, height: 10 } })).toBeNull();
    expect(readPresenceViewport({ viewport: { x: 1, y: 2, zoom: 1, width: -1, height: 10 } })).toBeNull();
    expect(readPresenceViewport({ viewport: { x: Infinity, y: 2, zoom: 1, width: 10, height: 10 } })).toBeNull();
    expect(readPresenceViewport(null)).toBeNull();
    expect(readPresenceViewport({})).toBeNull();
  });

  it('reaches peers next to cursor and selection, and an unchanged one is not sent again', () => {
    const alice = peer();
    const bob = peer();
    initLocalPresence(bob, { id: 'u-bob', name: 'Bob', color: '#000' });
    let updates = 0;
    bob.on('update', () => updates++);
    setPresenceViewport(bob, { x: 5, y: 6, zoom: 0.5, width: 800, height: 600 });
    setPresenceViewport(bob, { x: 5, y: 6, zoom: 0.5, width: 800, height: 600 });
    expect(updates).toBe(1);
    relay(bob, alice);
    expect(peerViewport(alice, bob.clientID)).toEqual({ x: 5, y: 6, zoom: 0.5, width: 800, height: 600 });
    expect(bob.getLocalState()?.selection).toEqual([]);
  });

  it('throttles viewport broadcasts like cursors, the last one sent', () => {
    const a = peer();
    initLocalPresence(a);
    const clock = new FakeScheduler();
    const sent: number[] = [];
    a.on('change', () => {
      const v = readPresenceViewport(a.getLocalState());
      if (v) sent.push(v.x);
    });
    const throttle = new ViewportThrottle(a, { intervalMs: 50, scheduler: clock });
    for (let i = 0; i < 30; i++) {
      throttle.publish({ x: i, y: 0, zoom: 1, width: 100, height: 100 });
      clock.advance(5);
    }
    clock.advance(100);
    expect(sent).toEqual([0, 9, 19, 29]);
    throttle.publish({ x: 50, y: 0, zoom: 1, width: 0, height: 100 }); // no size yet: nothing sent
    clock.advance(100);
    expect(sent.at(-1)).toBe(29);
    throttle.dispose();
  });
});

describe('FollowStore', () => {
  it('follows a peer, toggles off, and stops by itself when the peer leaves', () => {
    const alice = peer();
    const bob = peer();
    initLocalPresence(alice);
    initLocalPresence(bob, { id: 'u-bob', name: 'Bob', color: '#000' });
    const store = new FollowStore(alice);
    let notified = 0;
    store.subscribe(() => notified++);

    store.follow({ clientId: bob.clientID, userId: 'u-bob' }); // not in the room yet
    expect(store.getSnapshot()).toBeNull();
    relay(bob, alice);
    store.toggle({ clientId: bob.clientID, userId: 'u-bob' });
    expect(store.getSnapshot()).toEqual({ clientId: bob.clientID, userId: 'u-bob' });
    store.toggle({ clientId: bob.clientID, userId: 'u-bob' });
    expect(store.getSnapshot()).toBeNull();
    store.follow({ clientId: alice.clientID, userId: 'me' }); // never ourselves
    expect(store.getSnapshot()).toBeNull();

    store.follow({ clientId: bob.clientID, userId: 'u-bob' });
    expect(notified).toBe(3);
    removeAwarenessStates(alice, [bob.clientID], 'server'); // Bob closes the tab
    expect(store.getSnapshot()).toBeNull();
    expect(notified).toBe(4);
    store.destroy();
  });
});
