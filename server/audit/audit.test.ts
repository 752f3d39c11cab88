import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, type PublicUser } from '../auth/users';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { audit } from './audit';

let db: Db;
let boss: PublicUser;
let other: PublicUser;

const asBoss = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: boss.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('audit_log'));
  boss = await signUp(db, { email: 'boss@example.com', username: 'boss', password: 'boss-password-1' }, 'admin');
  other = await signUp(db, { email: 'other@example.com', username: 'other', password: 'other-password-1' });
  for (let i = 0; i < 7; i++) await audit(db, { actorId: new ObjectId(boss.id), action: 'user.disable', target: `t${i}`, reason: `r${i}`, ip: '10.0.0.1' });
  await audit(db, { actorId: new ObjectId(other.id), action: 'apikey.create', target: 'key' });
  await audit(db, { actorId: null, action: 'auth.lockout', target: '=HYPERLINK("http://x"),"quoted"', ip: '10.0.0.2' });
});

describe('admin.audit', () => {
  it('lists newest first with actor names, and pages by cursor without gaps or repeats', async () => {
    const api = await asBoss();
    const first = await api.admin.audit.list({ limit: 4 });
    expect(first.rows.map((r) => r.action)).toEqual(['auth.lockout', 'apikey.create', 'user.disable', 'user.disable']);
    expect(first.rows[1]).toMatchObject({ actor: 'other', actorId: other.id });
    expect(first.rows[0]).toMatchObject({ actor: null, actorId: null, ip: '10.0.0.2' });
    const seen = [...first.rows];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await api.admin.audit.list({ limit: 4, cursor });
      seen.push(...page.rows);
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen.map((r) => r.id)).size).toBe(9);
  });

  it('filters by action and by actor (equality)', async () => {
    const api = await asBoss();
    expect((await api.admin.audit.list({ action: 'user.disable' })).rows.map((r) => r.target)).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    expect((await api.admin.audit.list({ actorId: other.id })).rows.map((r) => r.action)).toEqual(['apikey.create']);
    expect((await api.admin.audit.list({ action: 'user.disable', actorId: other.id })).rows).toEqual([]);
    await expect(api.admin.audit.list({ actorId: 'someone' })).rejects.toMatchObject({ code: 'BAD_REQUEST', cause: { code: 'ACTOR_INVALID' } });
    await expect(api.admin.audit.list({ action: 'user.delete' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.admin.audit.list({ cursor: 'x' })).rejects.toMatchObject({ cause: { code: 'CURSOR_INVALID' } });
  });

  it('exports CSV with a header, quoting and no live formulas', async () => {
    const { csv, rows, truncated } = await (await asBoss()).admin.audit.csv({});
    expect({ rows, truncated }).toEqual({ rows: 9, truncated: false });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actor_id,actor,action,target,reason,ip');
    expect(lines).toHaveLength(10);
    expect(lines[1]).toContain(`,auth.lockout,"'=HYPERLINK(""http://x""),""quoted""",,10.0.0.2`);
    expect(lines[2]).toMatch(new RegExp(`,${other.id},other,apikey.create,key,,$`));
    const filtered = await (await asBoss()).admin.audit.csv({ action: 'apikey.create' });
    expect(filtered.rows).toBe(1);
  });
});
