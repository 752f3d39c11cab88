import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { insertModel } from '../models/lifecycle';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { applyJobEvent } from './apply-job-event';
import { jobProgressCollection, jobsCollection, type JobDoc } from './collections';
import { createJob } from './create-job';
import { notifyJobChanged } from './job-change-bus';
import { watchJob, WATCH_POINTS_PER_UPDATE, type JobWatchUpdate } from './job-watch';

let db: Db;
let alice: PublicUser; // owns the model and the job
let vera: PublicUser; // the model's viewer
let carol: PublicUser; // a stranger
let modelId: ObjectId;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('job_watch'));
  const user = (name: string) => signUp(db, { email: `${name}@example.com`, username: name, password: `${name}-password-1` });
  [alice, vera, carol] = [await user('alice'), await user('vera'), await user('carol')];
  const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
  modelId = await insertModel(db, { owner, name: 'iris mlp', graph: mlpClassifier(4, [8], 3), layout: {}, datasetId: 'builtin:iris' });
  await (await as(alice)).models.share({ id: modelId.toHexString(), who: 'vera', role: 'viewer' });
});

async function newJob(): Promise<JobDoc> {
  const job = await createJob(db, { modelId, ownerId: new ObjectId(alice.id), requirements: { device: 'gpu', minVramBytes: 0 }, priceCapMicro: '5000000', trainingFlops: 1000 }, new Date());
  await jobsCollection(db).updateOne({ _id: job._id }, { $set: { totalSteps: 100 } });
  return job;
}

/** A progress report as the runner side stores it: the point in jobProgress, the summary on the job, then the wake-up. */
async function report(job: JobDoc, seq: number, step: number, loss: number) {
  const at = new Date();
  await jobProgressCollection(db).insertOne({ _id: `${job._id.toHexString()}:1:${step}`, jobId: job._id, seq, leaseEpoch: 1, machineId: 'm1', step, epochIndex: 0, loss, accuracy: 0.5, valLoss: null, valAccuracy: null, samplesPerSecond: 1000, etaSeconds: 9, at });
  await jobsCollection(db).updateOne({ _id: job._id }, { $set: { progress: { step, totalSteps: 100, epochIndex: 0, loss, accuracy: 0.5, valLoss: null, valAccuracy: null, samplesPerSecond: 1000, etaSeconds: 9, machineId: 'm1', at } } });
  notifyJobChanged(job._id.toHexString());
}

/** Takes the next update, failing instead of hanging when none comes. */
async function nextUpdate(it: AsyncIterator<unknown>): Promise<JobWatchUpdate> {
  const result = await Promise.race([it.next(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no update within 5 s')), 5_000))]);
  if (result.done) throw new Error('the stream ended');
  // tracked(id, data) envelopes are [id, data, symbol] through a caller.
  const value = result.value as unknown;
  return (Array.isArray(value) ? value[1] : value) as JobWatchUpdate;
}

describe('jobs.watch', () => {
  it('refuses strangers with the same NOT_FOUND as a job that does not exist, and lets the owner and viewers watch', async () => {
    const job = await newJob();
    const id = job._id.toHexString();
    await expect((await as(carol)).jobs.watch({ id })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'JOB_NOT_FOUND' } });
    await expect((await as(alice)).jobs.watch({ id: new ObjectId().toHexString() })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'JOB_NOT_FOUND' } });
    for (const who of [alice, vera]) {
      const stream = (await (await as(who)).jobs.watch({ id }))[Symbol.asyncIterator]();
      const first = await nextUpdate(stream);
      expect(first).toMatchObject({ job: { id, status: 'CREATED', progress: null }, points: [], lastSeq: 0, final: false });
      await stream.return?.(undefined);
    }
  });

  it('yields the new points after a progress report, woken by the change bus, and resumes after lastEventId', async () => {
    const job = await newJob();
    const id = job._id.toHexString();
    await report(job, 1, 10, 1.5);
    const stream = (await (await as(vera)).jobs.watch({ id }))[Symbol.asyncIterator]();
    const first = await nextUpdate(stream);
    expect(first.points.map((p) => [p.seq, p.step, p.loss])).toEqual([[1, 10, 1.5]]);
    expect(first.job).toMatchObject({ progress: 0.1, totalSteps: 100, latest: { step: 10, samplesPerSecond: 1000, etaSeconds: 9 } });

    await report(job, 2, 20, 1.2);
    await report(job, 3, 30, 1.0);
    const seen: number[] = [];
    while (seen.at(-1) !== 3) {
      const update = await nextUpdate(stream);
      seen.push(...update.points.map((p) => p.seq));
      expect(update.job.latest?.step).toBeGreaterThanOrEqual(20);
    }
    expect(seen).toEqual([2, 3]);
    await stream.return?.(undefined);

    // A reconnect names the last update's id: only what came after it.
    const again = (await (await as(alice)).jobs.watch({ id, lastEventId: '2' }))[Symbol.asyncIterator]();
    expect((await nextUpdate(again)).points.map((p) => p.seq)).toEqual([3]);
    await again.return?.(undefined);
  });

  it('bounds the points one update carries, sends the rest back to back, and ends once the job is settled', async () => {
    const job = await newJob();
    const total = WATCH_POINTS_PER_UPDATE + 20;
    const at = new Date();
    await jobProgressCollection(db).insertMany(
      Array.from({ length: total }, (_, i) => ({ _id: `${job._id.toHexString()}:1:${i}`, jobId: job._id, seq: i + 1, leaseEpoch: 1, machineId: 'm1', step: i, epochIndex: 0, loss: 1, accuracy: null, valLoss: null, valAccuracy: null, samplesPerSecond: null, etaSeconds: null, at })),
    );
    // Cancelled before approval: nothing is escrowed, so it is settled as it is.
    await applyJobEvent(db, job._id, { type: 'cancel' }, new Date());
    const updates: JobWatchUpdate[] = [];
    for await (const update of watchJob(db, (await jobsCollection(db).findOne({ _id: job._id }))!, new ObjectId(alice.id), { afterSeq: 0, withPoints: true })) updates.push(update);
    expect(updates.map((u) => u.points.length)).toEqual([WATCH_POINTS_PER_UPDATE, 20]);
    expect(updates.map((u) => u.final)).toEqual([false, true]);
    expect(updates.at(-1)).toMatchObject({ lastSeq: total, job: { status: 'CANCELLED' } });
  });

  it('without points sends the view only, and stops when its signal aborts', async () => {
    const job = await newJob();
    await report(job, 1, 50, 0.7);
    const stop = new AbortController();
    const stream = watchJob(db, job, new ObjectId(alice.id), { afterSeq: 0, withPoints: false, signal: stop.signal });
    const first = await nextUpdate(stream);
    expect(first).toMatchObject({ points: [], job: { progress: 0.5 } });
    const pending = stream.next();
    stop.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('ends with JOB_NOT_FOUND once a collaborator loses access to the model', async () => {
    const job = await newJob();
    const dan = await signUp(db, { email: 'dan@example.com', username: 'dan', password: 'dan-password-1' });
    await (await as(alice)).models.share({ id: modelId.toHexString(), who: 'dan', role: 'viewer' });
    const stream = watchJob(db, job, new ObjectId(dan.id), { afterSeq: 0, withPoints: false, accessRecheckMs: 0, rereadMs: 10 });
    expect((await nextUpdate(stream)).job.id).toBe(job._id.toHexString());
    await (await as(alice)).models.unshare({ id: modelId.toHexString(), userId: dan.id });
    await report(job, 1, 5, 2);
    await expect(stream.next()).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
