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
import { jobCheckpointsCollection, jobsCollection } from './collections';
import { createJob } from './create-job';
import { storeJobSpec, type FrozenJobSpec } from './job-spec';
import { insertMachine } from './testing/fixtures';

let db: Db;
let alice: PublicUser;
let carol: PublicUser;
let modelId: ObjectId;

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('job_detail'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
  modelId = await insertModel(db, { owner, name: 'iris mlp', graph: mlpClassifier(4, [8], 3), layout: {}, datasetId: 'builtin:iris' });
});

describe('jobs.detail and jobs.list', () => {
  it('shows the milestones (not lease renewals), every checkpoint with its machine and verdict, and the names', async () => {
    const now = new Date();
    const { machineId, unitIds } = await insertMachine(db, now);
    const { _id } = await createJob(db, { modelId, ownerId: new ObjectId(alice.id), requirements: { device: 'gpu', minVramBytes: 0 }, priceCapMicro: '5000000', trainingFlops: 1e6 }, now);
    await applyJobEvent(db, _id, { type: 'approve' }, now);
    await applyJobEvent(db, _id, { type: 'escrow_locked' }, now);
    await applyJobEvent(db, _id, { type: 'assign', machineId, unitId: unitIds[0]!, expiresAt: now.getTime() + 60_000 }, now);
    await applyJobEvent(db, _id, { type: 'renew', epoch: 1, expiresAt: now.getTime() + 90_000 }, now);
    await applyJobEvent(db, _id, { type: 'start', epoch: 1 }, now);
    await applyJobEvent(db, _id, { type: 'renew', epoch: 1, expiresAt: now.getTime() + 120_000 }, now);
    const id = _id.toHexString();
    const checkpoint = (step: number, verified: boolean) => ({
      _id: `${id}:${String(step).padStart(64, '0')}`, jobId: _id, sha256: String(step).padStart(64, '0'), bytes: 1234, step, epochIndex: step / 10 - 1, machineId, leaseEpoch: 1,
      reported: { trainLoss: 0.5, valLoss: 0.4, valAccuracy: 0.9 }, platform: { valLoss: verified ? 0.4 : 0.9, valAccuracy: verified ? 0.9 : 0.3, rows: 30 },
      verified, reason: verified ? null : 'validation loss 0.9 is not within tolerance of the reported 0.4', releasedMicro: verified ? '100' : '0', at: new Date(now.getTime() + step),
    });
    await jobCheckpointsCollection(db).insertMany([checkpoint(20, false), checkpoint(10, true)]);

    const detail = await (await as(alice)).jobs.detail({ id });
    expect(detail.timeline.map((e) => e.type)).toEqual(['approve', 'escrow_locked', 'assign', 'start']);
    expect(detail.timeline[2]).toMatchObject({ machineId, unitId: unitIds[0] });
    expect(detail.timelineTruncated).toBe(false);
    expect(detail.job).toMatchObject({ id, status: 'RUNNING', modelName: 'iris mlp', machineId, machineName: 'rig', version: 6 });
    expect(detail.checkpoints.map((c) => [c.step, c.verified, c.releasedMicro, c.machineName])).toEqual([
      [10, true, '100', 'rig'],
      [20, false, '0', 'rig'],
    ]);
    expect(detail.checkpoints[1]!.reason).toMatch(/not within tolerance/);

    const list = await (await as(alice)).jobs.list();
    expect(list.find((j) => j.id === id)).toMatchObject({ modelName: 'iris mlp', machineName: 'rig', status: 'RUNNING' });
    const ofModel = await (await as(alice)).jobs.list({ modelId: modelId.toHexString() });
    expect(ofModel.find((j) => j.id === id)).toMatchObject({ modelName: 'iris mlp', machineName: 'rig' });
    await expect((await as(carol)).jobs.detail({ id })).rejects.toMatchObject({ code: 'NOT_FOUND', cause: { code: 'JOB_NOT_FOUND' } });
  });

  it('reads the fraction done from the latest report, 1 once completed, and names the result run', async () => {
    const now = new Date();
    const { _id } = await createJob(db, { modelId, ownerId: new ObjectId(alice.id), requirements: { device: 'cpu', minVramBytes: 0 }, priceCapMicro: '1', trainingFlops: 1 }, now);
    const api = await as(alice);
    expect((await api.jobs.get({ id: _id.toHexString() })).progress).toBeNull();
    await jobsCollection(db).updateOne({ _id }, { $set: { totalSteps: 40, progress: { step: 30, totalSteps: 40, epochIndex: 2, loss: 0.3, accuracy: 0.8, valLoss: 0.35, valAccuracy: 0.75, samplesPerSecond: 512, etaSeconds: 4, machineId: 'm', at: now } } });
    expect(await api.jobs.get({ id: _id.toHexString() })).toMatchObject({ progress: 0.75, totalSteps: 40, latest: { step: 30, epochIndex: 2, valAccuracy: 0.75, at: now.toISOString() }, machineId: 'm' });
    await jobsCollection(db).updateOne({ _id }, { $set: { status: 'PAYMENT_RELEASED', resultRunId: 'run123', lastCheckpoint: { sha256: 'a'.repeat(64), step: 40, epochIndex: 3, bytes: 9, valLoss: 0.3, valAccuracy: 0.8, machineId: 'm', verifiedAt: now } } });
    expect(await api.jobs.get({ id: _id.toHexString() })).toMatchObject({ progress: 1, resultRunId: 'run123', lastCheckpointStep: 40 });
  });

  it('gives the trained graph once there is a result (the page exports ONNX and PyTorch from it), not before', async () => {
    const now = new Date();
    const { _id } = await createJob(db, { modelId, ownerId: new ObjectId(alice.id), requirements: { device: 'cpu', minVramBytes: 0 }, priceCapMicro: '1', trainingFlops: 1 }, now);
    const trained = mlpClassifier(4, [5], 3);
    await storeJobSpec(db, _id, { graph: trained, totalSteps: 40 } as unknown as FrozenJobSpec, now);
    const api = await as(alice);
    expect((await api.jobs.detail({ id: _id.toHexString() })).resultGraph).toBeNull();
    await jobsCollection(db).updateOne({ _id }, { $set: { status: 'PAYMENT_RELEASED', resultRunId: 'run456' } });
    // The model may have been edited since: the graph is the job's own, frozen at submit.
    expect((await api.jobs.detail({ id: _id.toHexString() })).resultGraph).toEqual(trained);
  });
});
