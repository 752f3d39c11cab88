import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { cyx, MIN_STAKE } from '../../programs';
import { signUp, type PublicUser } from '../auth/users';
import { insertMachine } from '../jobs/testing/fixtures';
import { getLedger } from '../ledger';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { machinesCollection } from './collections';

let db: Db;
let admin: PublicUser;
let owner: PublicUser;
let stranger: PublicUser;
const clock = new Date('2026-05-02T09:00:00Z');
const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id, now: () => clock }));
const available = async () => (await (await getLedger(db)).wallet(owner.id)).available;

beforeAll(async () => {
  ({ db } = await useTestDatabase('machines_restake'));
  admin = await signUp(db, { email: 'adm@example.com', username: 'adm', password: 'adm-password-1' }, 'admin');
  owner = await signUp(db, { email: 'own@example.com', username: 'own', password: 'own-password-1' });
  stranger = await signUp(db, { email: 'str@example.com', username: 'str', password: 'str-password-1' });
  await (await getLedger(db)).submit({ kind: 'mint', key: 'restake-seed', at: clock.getTime(), by: admin.id, to: owner.id, amount: cyx(250), reason: 'seed' });
});

describe('stake again', () => {
  it('an unbanned machine (withdrawn, stake 0) is staked again once per attempt, and only by its owner', async () => {
    const { machineId } = await insertMachine(db, clock);
    await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(owner.id), name: 'rig-a' } });
    const staked = await (await getLedger(db)).submit({ kind: 'register_node', key: `machine-register:${machineId}`, at: clock.getTime(), nodeId: machineId, owner: owner.id, stake: MIN_STAKE });
    expect(staked.seq).not.toBeNull();
    const mine = await as(owner);
    expect(await mine.machines.stake({ id: machineId })).toEqual({ status: 'active', stakeMicro: MIN_STAKE.toString(), canStakeAgain: false });
    await expect(mine.machines.restake({ id: machineId, requestId: 'attempt-0000' })).rejects.toMatchObject({ cause: { code: 'MACHINE_STAKED' } });

    const ops = await as(admin);
    await ops.admin.machines.ban({ machineId, reason: 'test ban', requestId: 'ban-00000001' });
    await expect(mine.machines.restake({ id: machineId, requestId: 'attempt-0001' })).rejects.toMatchObject({ cause: { code: 'MACHINE_BANNED' } });
    await ops.admin.machines.unban({ machineId, reason: 'appeal upheld', requestId: 'unban-0000001' });
    expect(await mine.machines.stake({ id: machineId })).toEqual({ status: 'withdrawn', stakeMicro: '0', canStakeAgain: true });

    await expect((await as(stranger)).machines.restake({ id: machineId, requestId: 'attempt-0002' })).rejects.toMatchObject({ cause: { code: 'MACHINE_NOT_FOUND' } });
    const before = await available();
    expect(await mine.machines.restake({ id: machineId, requestId: 'attempt-0003' })).toEqual({ stakeMicro: MIN_STAKE.toString(), repeated: false });
    // The same click retried stakes nothing more.
    expect(await mine.machines.restake({ id: machineId, requestId: 'attempt-0003' })).toEqual({ stakeMicro: MIN_STAKE.toString(), repeated: true });
    expect(before - (await available())).toBe(MIN_STAKE);
    expect(await mine.machines.stake({ id: machineId })).toEqual({ status: 'active', stakeMicro: MIN_STAKE.toString(), canStakeAgain: false });
    expect((await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }))!.stakeMicro).toBe(MIN_STAKE.toString());
  });

  it('too little CYX is a clear refusal that stakes nothing', async () => {
    const { machineId } = await insertMachine(db, clock);
    await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { ownerId: new ObjectId(owner.id), name: 'rig-b' } });
    const rich = await available();
    await (await getLedger(db)).submit({ kind: 'transfer', key: 'restake-drain', at: clock.getTime(), from: owner.id, to: stranger.id, amount: rich - cyx(1) });
    await expect((await as(owner)).machines.restake({ id: machineId, requestId: 'attempt-0004' })).rejects.toMatchObject({ cause: { code: 'INSUFFICIENT_FUNDS', message: expect.stringContaining('your balance is') } });
    expect(await (await as(owner)).machines.stake({ id: machineId })).toMatchObject({ status: 'unregistered', stakeMicro: '0' });
  });
});
