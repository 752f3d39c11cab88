import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CursorThrottle } from './cursor-throttle';
import { initLocalPresence, listPeers, readPresenceState, setPresenceCursor, setPresenceSelection } from './presence';
import { PresenceStore } from './presence-store';
import { FakeScheduler } from './testing/fake-scheduler';

const made: Awareness[] = [];
function peer(): Awareness {
  const a = new Awareness(new Y.Doc());
  made.push(a);
  return a;
}
afterEach(() => {
  // Awareness runs a 3-second check interval; stop it so the test process can exit.
  for (const a of made.splice(0)) a.destroy();
});

/** What the sync server relays: each client's own state. */
function relay(from: Awareness, to: Awareness): void {
  applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [from.clientID]), 'server');
}

describe('presence', () => {
  it('lists remote peers with their cursor and selection, not ourselves', () => {
    const alice = peer();
    const bob = peer();
    initLocalPresence(alice, { id: 'u-alice', name: 'Alice', color: '#e11d48' });
    initLocalPresence(bob, { id: 'u-bob', name: 'Bob', color: '#2563eb' });
    setPresenceCursor(bob, { x: 10, y: 20 });
    setPresenceSelection(bob, ['n2', 'n1', 'n1']);
    relay(bob, alice);
    relay(alice, bob);
    expect(listPeers(alice)).toEqual([
      { clientId: bob.clientID, user: { id: 'u-bob', name: 'Bob', color: '#2563eb' }, cursor: { x: 10, y: 20 }, selection: ['n1', 'n2'] },
    ]);
    expect(listPeers(bob).map((p) => p.user.name)).toEqual(['Alice']);
  });

  it('ignores peers without an identity and sanitises malformed fields', () => {
    const alice = peer();
    const anon = peer();
    anon.setLocalState({ cursor: { x: 1, y: 1 }, selection: [] }); // server has not stamped a user yet
    relay(anon, alice);
    expect(listPeers(alice)).toEqual([]);
    expect(readPresenceState({ user: { id: 'u', name: 'N', color: 'c' }, cursor: { x: 'a' }, selection: ['x', 3] })).toEqual({
      user: { id: 'u', name: 'N', color: 'c' },
      cursor: null,
      selection: ['x'],
    });
  });

  it('does not rebroadcast unchanged cursor or selection', () => {
    const a = peer();
    initLocalPresence(a);
    let updates = 0;
    a.on('update', () => updates++);
    setPresenceCursor(a, { x: 1, y: 1 });
    setPresenceCursor(a, { x: 1, y: 1 });
    setPresenceSelection(a, ['b', 'a']);
    setPresenceSelection(a, ['a', 'b']);
    expect(updates).toBe(2);
  });

  it('cursor throttle sends at most one update per interval, the last position, and leaving at once', () => {
    const a = peer();
    initLocalPresence(a);
    const clock = new FakeScheduler();
    const sent: unknown[] = [];
    a.on('change', () => sent.push(a.getLocalState()?.cursor));
    const cursor = new CursorThrottle(a, { intervalMs: 50, scheduler: clock });
    for (let i = 0; i < 30; i++) {
      cursor.move({ x: i, y: 0 });
      clock.advance(5); // 200 Hz pointer moves for 150 ms
    }
    clock.advance(100);
    expect(sent).toEqual([{ x: 0, y: 0 }, { x: 9, y: 0 }, { x: 19, y: 0 }, { x: 29, y: 0 }]);
    cursor.move({ x: 99, y: 0 });
    cursor.move(null);
    expect(sent.at(-1)).toBeNull();
    cursor.dispose();
  });
});

describe('PresenceStore', () => {
  it('notifies on remote changes and keeps the same array when only our own state changed', () => {
    const alice = peer();
    const bob = peer();
    initLocalPresence(bob, { id: 'u-bob', name: 'Bob', color: '#000' });
    const store = new PresenceStore(alice);
    let notified = 0;
    store.subscribe(() => notified++);
    expect(store.getSnapshot()).toEqual([]);
    relay(bob, alice);
    expect(notified).toBe(1);
    const peers = store.getSnapshot();
    expect(peers.map((p) => p.user.id)).toEqual(['u-bob']);
    setPresenceCursor(alice, { x: 5, y: 5 }); // our own cursor: no re-render of the peer list
    expect(notified).toBe(1);
    expect(store.getSnapshot()).toBe(peers);
    setPresenceCursor(bob, { x: 3, y: 3 });
    relay(bob, alice);
    expect(notified).toBe(2);
    expect(store.getSnapshot()[0]?.cursor).toEqual({ x: 3, y: 3 });
    store.destroy();
  });
});
