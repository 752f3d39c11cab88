import { ObjectId, type Db } from 'mongodb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../server/testing/test-db';
import { colorFor, roomColorFor } from './awareness-guard';
import { connectClient, insertModel, startCollabForTest, ticketFor, waitFor } from './testing';

describe('roomColorFor', () => {
  it("gives a user their own colour when it is free, the next free one when someone has it, and another tab's colour to the same user", () => {
    expect(roomColorFor('u1', [])).toBe(colorFor('u1'));
    const other = { id: 'u2', color: colorFor('u1') };
    const second = roomColorFor('u1', [other]);
    expect(second).not.toBe(colorFor('u1'));
    expect(roomColorFor('u1', [other, { id: 'u1', color: '#123456' }])).toBe('#123456');
  });

  it('keeps ten people apart before any two share a colour', () => {
    const present: { id: string; color: string }[] = [];
    for (let i = 0; i < 10; i++) present.push({ id: `user-${i}`, color: roomColorFor(`user-${i}`, present) });
    expect(new Set(present.map((p) => p.color)).size).toBe(10);
  });
});

describe('collab server: collaborator colours', () => {
  let db: Db;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    ({ db } = await useTestDatabase('collab-colors'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('two people whose own colours collide still see each other in different colours', async () => {
    const owner = new ObjectId();
    let editor = new ObjectId();
    while (colorFor(editor.toHexString()) !== colorFor(owner.toHexString())) editor = new ObjectId();
    const s = await startCollabForTest(db);
    cleanups.push(() => s.close());
    const modelId = await insertModel(db, owner, [{ userId: editor, role: 'editor' }]);
    const a = connectClient(s.url, modelId, ticketFor(modelId, owner, 'owner', 'alice'));
    const b = connectClient(s.url, modelId, ticketFor(modelId, editor, 'editor', 'bob'));
    cleanups.push(() => a.provider.destroy(), () => b.provider.destroy());
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'sync');
    a.provider.awareness.setLocalState({ cursor: null, selection: [] });
    b.provider.awareness.setLocalState({ cursor: null, selection: [] });
    const colorAt = (seer: typeof a, of: typeof a) => (seer.provider.awareness.getStates().get(of.doc.clientID) as { user?: { color: string } } | undefined)?.user?.color;
    await waitFor(() => colorAt(a, b) !== undefined && colorAt(b, a) !== undefined, 5000, 'presence both ways');
    expect(colorAt(a, b)).not.toBe(colorAt(b, a));
  });
});
