import type { AnyProcedure } from '@trpc/server';
import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { appRouter, createCaller } from '../trpc/root';

let db: Db;
let user: PublicUser;
let admin: PublicUser;

/** Every admin.* procedure of the real router, by path: a new one is covered without editing this file. */
const adminPaths = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
  .filter(([path]) => path.startsWith('admin.'))
  .map(([path, procedure]) => ({ path, type: procedure._def.type }));

function call(caller: ReturnType<typeof createCaller>, path: string): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller) as (input?: unknown) => Promise<unknown>;
  return fn(undefined);
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('admin_access'));
  user = await signUp(db, { email: 'user@example.com', username: 'plain', password: 'plain-password-1' });
  admin = await signUp(db, { email: 'boss@example.com', username: 'boss', password: 'boss-password-1' }, 'admin');
});

describe('admin procedures', () => {
  it('are enumerated from the router, users, audit, machines, jobs, ledger and health included', () => {
    const paths = adminPaths.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'admin.overview', 'admin.ledger.mint', 'admin.ledger.verify', 'admin.ledger.overview', 'admin.ledger.log', 'admin.users.search', 'admin.users.disable', 'admin.audit.list', 'admin.audit.csv',
        'admin.machines.list', 'admin.machines.setMaintenance', 'admin.machines.ban', 'admin.machines.unban', 'admin.machines.explainJob', 'admin.health',
        'admin.jobs.list', 'admin.jobs.detail', 'admin.jobs.cancel', 'admin.jobs.requeue', 'admin.jobs.invalidate',
      ]),
    );
  });

  it.each(adminPaths)('$path answers 403 ADMIN_ONLY to a signed-in non-admin, before reading input', async ({ path }) => {
    const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));
    await expect(call(caller, path)).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'ADMIN_ONLY' } });
  });

  it.each(adminPaths)('$path answers 401 to nobody', async ({ path }) => {
    const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: null }));
    await expect(call(caller, path)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('let an admin through to input validation (the 403 above is the role, not the input)', async () => {
    const caller = createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }));
    await expect(call(caller, 'admin.users.disable')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('offer no way to change or delete an audit entry', () => {
    const audit = adminPaths.filter((p) => p.path.startsWith('admin.audit.'));
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.filter((p) => p.type !== 'query')).toEqual([]);
  });
});
