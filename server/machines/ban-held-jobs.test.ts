import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { classifyFailure, isLeaseLost, PlatformHttpError } from '../../node-runner/api-failure';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { jobEventsCollection, jobsCollection, unitClaimsCollection } from '../jobs/collections';
import { CpuRunner, RunnerWorld } from '../jobs/testing/runner-world';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { machinesCollection } from './collections';

let db: Db;
let world: RunnerWorld;
let admin: PublicUser;
const IRIS_CSV = () => builtinCsv(findBuiltin('builtin:iris') as never);
const asAdmin = async () => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: admin.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('machines_ban_held_jobs'));
  world = await new RunnerWorld(db).start(mlpClassifier(4, [8], 3));
  admin = await signUp(db, { email: 'ban-admin@example.com', username: 'banadmin', password: 'admin-password-1' }, 'admin');
});

afterAll(async () => {
  await world?.stop();
});

describe('banning a machine that holds a job', () => {
  it('puts the job back in the queue from its last verified checkpoint, frees the unit, and refuses the machine afterwards', async () => {
    const { jobId, epoch } = await world.leasedJob('a');
    const spec = await world.started('a', jobId, epoch);
    const runner = new CpuRunner(spec, IRIS_CSV());
    const first = await world.put('a', jobId, epoch, runner.epoch(0));
    expect(first.body.verified).toBe(true);
    const machineId = world.machines.a.id;
    const before = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(before).toMatchObject({ status: 'RUNNING', lastCheckpoint: { step: 7 } });
    expect(await unitClaimsCollection(db).countDocuments({ machineId })).toBe(1);

    const banned = await (await asAdmin()).admin.machines.ban({ machineId, reason: 'returned forged results', requestId: `ban-${Date.now()}` });
    expect(banned.requeued).toEqual([{ jobId, resumesFromStep: 7 }]);

    // Back in the queue, its progress kept, the machine's unit free.
    const after = (await jobsCollection(db).findOne({ _id: before._id }))!;
    expect(after).toMatchObject({ status: 'ESCROWED', lease: null, lastCheckpoint: { step: 7, sha256: before.lastCheckpoint!.sha256 } });
    expect(after.queuedAt).toEqual(before.queuedAt);
    expect(await unitClaimsCollection(db).countDocuments({ machineId })).toBe(0);

    // Logged: the job's admin_requeue transition, and an audit entry each for the ban and the requeue.
    const events = await jobEventsCollection(db).find({ jobId: before._id }).sort({ version: 1 }).toArray();
    expect(events.at(-1)!.event).toEqual({ type: 'admin_requeue', reason: 'its machine was banned: returned forged results' });
    const audits = await collections(db).audit.find({ actorId: new ObjectId(admin.id) }).toArray();
    expect(audits.map((a) => a.action).sort()).toEqual(['job.requeue', 'machine.ban']);
    expect(audits.find((a) => a.action === 'job.requeue')!.target).toContain(`job ${jobId}: requeued from machine ${machineId}, resuming from step 7`);

    // The banned machine's next report, upload and heartbeat: refused, or nothing to renew.
    const api = await world.asMachine('a');
    await expect(api.runner.jobProgress({ jobId, epoch, step: 9, epochIndex: 1, loss: 0.5, accuracy: 0.8, samplesPerSecond: 100, etaSeconds: 1 })).rejects.toMatchObject({ cause: { code: 'MACHINE_BANNED' } });
    const late = await world.put('a', jobId, epoch, runner.epoch(1));
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('MACHINE_BANNED');
    // The runner reads that refusal as a lost lease: it stops the job and drops its work.
    expect(isLeaseLost(classifyFailure(new PlatformHttpError(late.status, late.body.code ?? null, late.body.message ?? '')))).toBe(true);
    await machinesCollection(db).updateOne({ _id: new ObjectId(machineId) }, { $set: { nextHeartbeatAt: new Date(0) } });
    const beat = await api.runner.heartbeat({ metrics: { cpuPercent: 1, ramUsedBytes: 1, gpus: [], job: null } });
    expect(beat.jobs ?? []).toEqual([]);
    expect((await jobsCollection(db).findOne({ _id: before._id }))!.status).toBe('ESCROWED');

    // Another machine resumes it from step 7.
    const next = await world.lease(jobId, 'b');
    expect(next).toBe(epoch + 1);
    const resumed = await (await world.asMachine('b')).runner.jobSpec({ jobId, epoch: next });
    expect(resumed.startCheckpoint).toMatchObject({ step: 7, sha256: before.lastCheckpoint!.sha256 });
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });

  it('a banned machine that still holds a lease (a scheduler pass that read the fleet before the ban) is not paid for checkpoints; it can hand the job back', async () => {
    const { jobId, epoch } = await world.leasedJob('b');
    const spec = await world.started('b', jobId, epoch);
    const runner = new CpuRunner(spec, IRIS_CSV());
    const b = new ObjectId(world.machines.b.id);
    await machinesCollection(db).updateOne({ _id: b }, { $set: { bannedAt: new Date(), banReason: 'race' } });
    const refused = await world.put('b', jobId, epoch, runner.epoch(0));
    expect(refused).toMatchObject({ status: 409, body: { code: 'MACHINE_BANNED' } });
    const job = (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
    expect(job).toMatchObject({ status: 'RUNNING', paidMicro: '0' });
    expect(job.lastCheckpoint ?? null).toBeNull();
    // What the runner does after a lost lease the heartbeat still lists: it hands it back.
    await expect((await world.asMachine('b')).runner.jobHandBack({ jobId, epoch })).resolves.toEqual({ status: 'ESCROWED' });
    await machinesCollection(db).updateOne({ _id: b }, { $set: { bannedAt: null, banReason: null } });
    await (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
  });

  it('a ban of a machine holding nothing requeues nothing', async () => {
    const banned = await (await asAdmin()).admin.machines.ban({ machineId: world.machines.b.id, reason: 'idle abuse', requestId: `ban-b-${Date.now()}` });
    expect(banned.requeued).toEqual([]);
  });
});
