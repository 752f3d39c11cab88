import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyTicket } from '../../collab/server/ticket';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { createCaller } from './root';

let db: Db;
let alice: PublicUser;
let bob: PublicUser;
let carol: PublicUser;
let modelId: string;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('models'));
  vi.stubEnv('AUTH_SECRET', 'models-test-secret');
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  bob = await signUp(db, { email: 'bob@example.com', username: 'bob', password: 'bob-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  ({ id: modelId } = await (await as(alice)).models.create({ name: 'Shared MLP' }));
});

describe('sharing a model', () => {
  it('lets the owner add people by email or username, and lists them', async () => {
    const owner = await as(alice);
    await owner.models.share({ id: modelId, who: 'BOB@example.com', role: 'editor' });
    await owner.models.share({ id: modelId, who: 'carol', role: 'viewer' });
    const people = await owner.models.collaborators({ id: modelId });
    expect(people.map((p) => [p.username, p.role])).toEqual([
      ['alice', 'owner'],
      ['bob', 'editor'],
      ['carol', 'viewer'],
    ]);
    // Shared models show up for the people they are shared with.
    const bobsList = await (await as(bob)).models.list();
    expect(bobsList.items.map((m) => [m.name, m.mine, m.owner, m.collaborators])).toEqual([['Shared MLP', false, 'alice', 2]]);
    expect((await (await as(bob)).dashboard.counts()).sharedModels).toBe(1);
  });

  it('changes a role in place instead of adding a second entry', async () => {
    await (await as(alice)).models.share({ id: modelId, who: 'carol', role: 'editor' });
    await (await as(alice)).models.share({ id: modelId, who: 'carol', role: 'viewer' });
    const people = await (await as(alice)).models.collaborators({ id: modelId });
    expect(people.filter((p) => p.username === 'carol')).toEqual([expect.objectContaining({ role: 'viewer' })]);
  });

  it('explains who cannot be found, and refuses non-owners', async () => {
    await expect((await as(alice)).models.share({ id: modelId, who: 'nobody@example.com', role: 'viewer' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Nobody with the email "nobody@example.com" has an account.',
    });
    await expect((await as(bob)).models.share({ id: modelId, who: 'carol', role: 'editor' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect((await as(alice)).models.share({ id: modelId, who: 'alice', role: 'editor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('issues room tickets only to people on the access list, with their role', async () => {
    const ticket = await (await as(carol)).collab.ticket({ modelId });
    expect(ticket.role).toBe('viewer');
    expect(verifyTicket(ticket.ticket, 'models-test-secret', modelId)).toMatchObject({ userId: carol.id, role: 'viewer', name: 'carol' });
    const stranger = await signUp(db, { email: 'dave@example.com', username: 'dave', password: 'dave-password-1' });
    await expect((await as(stranger)).collab.ticket({ modelId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as(stranger)).collab.ticket({ modelId: 'not-an-id' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets the owner remove a person, and a person leave', async () => {
    await (await as(alice)).models.unshare({ id: modelId, userId: carol.id });
    await (await as(bob)).models.unshare({ id: modelId, userId: bob.id });
    const people = await (await as(alice)).models.collaborators({ id: modelId });
    expect(people.map((p) => p.username)).toEqual(['alice']);
    await expect((await as(carol)).models.get({ id: modelId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as(alice)).models.unshare({ id: modelId, userId: alice.id })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
