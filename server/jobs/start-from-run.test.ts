import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batches } from '../../compute/data/batch';
import { modelMetadataEntries } from '../../compute/export/model-metadata';
import { loadCheckpoint, saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { loadWeights, saveWeights } from '../../compute/export/safetensors/weights';
import { mlpClassifier } from '../../compute/graph';
import { CpuTrainer } from '../../compute/model/trainer';
import { prepareJobData } from '../../compute/train/job-data';
import type { PreparedData } from '../../compute/train/prepare-data';
import { parseTrainConfig } from '../../compute/train/train-config';
import { getBlob } from '../blobs/blob-store';
import { collections } from '../db/collections';
import { sha256Hex } from '../datasets/blob-store';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { insertModel } from '../models/lifecycle';
import { runsCollection } from '../runs/collection';
import { useTestDatabase } from '../testing/test-db';
import { jobsCollection } from './collections';
import { buildJobSpec } from './job-spec';
import { IRIS_INPUT, RunnerWorld } from './testing/runner-world';

/**
 * "Continue on the network" on the real database and platform server: a run trained here on the
 * CPU trainer (as the tab trains: Adam, iris, batches of 16 → 7 steps an epoch) and saved with its
 * checkpoint is the starting point of a job. The quote charges only the steps after the run's; the
 * job's first lastCheckpoint is the run's checkpoint (its weights, by hash); the runner is handed it
 * and continues from its step; shares are paid over the steps the job trains. Refusals come before
 * any money moves.
 */
let db: Db;
let world: RunnerWorld;
const GRAPH = mlpClassifier(4, [8], 3);
const IRIS_CSV = () => builtinCsv(findBuiltin('builtin:iris') as never);
const STEPS_PER_EPOCH = 7;
const INPUT = { ...IRIS_INPUT, config: { ...IRIS_INPUT.config, epochs: 3 } };

interface SavedRun {
  id: string;
  trainer: CpuTrainer;
  weights: Uint8Array;
}

let data: PreparedData;
let metadata: Record<string, string>;

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_start_from_run'));
  world = await new RunnerWorld(db).start(GRAPH);
  const spec = await buildJobSpec(db, new ObjectId(world.alice.id), GRAPH, 'builtin:iris', { epochs: 1, batchSize: 16, learningRate: 0.05, seed: 3 });
  data = prepareJobData(spec.data, IRIS_CSV());
  metadata = modelMetadataEntries({ preprocessing: data.summary.preprocessing, classNames: data.summary.classNames });
});

afterAll(async () => {
  await world?.stop();
});

/** Trains `epochs` epochs of the job's data (Adam, as the tab does) and saves the run, with its checkpoint unless told not to. */
async function trainAndSave(name: string, epochs: number, options: { modelId?: string; checkpoint?: boolean; batchSize?: number } = {}): Promise<SavedRun> {
  const batchSize = options.batchSize ?? 16;
  const config = parseTrainConfig({ epochs, batchSize, seed: 3, optimizer: { type: 'adam', lr: 0.05 } });
  const trainer = new CpuTrainer(GRAPH, { optimizer: config.optimizer, seed: 3 });
  for (let e = 0; e < epochs; e++) for (const batch of batches(data.train, batchSize, { dropLast: true })) trainer.trainStep(batch);
  const weights = saveWeights(trainer.params, metadata);
  const scores = trainer.evaluate(data.validation);
  const api = await world.asUser(world.alice);
  const { id } = await api.runs.save({
    modelId: options.modelId ?? world.modelId,
    clientRunId: `run-${name.replace(/\W/g, '-')}-${Math.random().toString(36).slice(2, 10)}`,
    name,
    config: config as unknown as Record<string, unknown>,
    dataset: 'Iris',
    datasetId: 'builtin:iris',
    device: 'cpu',
    status: 'completed',
    epochs: [],
    batches: [],
    finalAccuracy: scores.accuracy ?? null,
    finalLoss: scores.loss,
    steps: trainer.optimizer.step,
    wallTimeMs: 10,
    weightsBase64: Buffer.from(weights).toString('base64'),
    ...(options.checkpoint === false ? {} : { checkpointBase64: Buffer.from(saveCheckpoint({ params: trainer.params, optimizer: trainer.optimizer }, metadata)).toString('base64') }),
  });
  return { id, trainer, weights };
}

const jobOf = async (jobId: string) => (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
const jobCount = () => jobsCollection(db).countDocuments({});
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (error) {
    const e = error as { code: string; message: string; cause?: { code?: string; field?: string } };
    return { code: e.code, appCode: e.cause?.code, field: e.cause?.field, message: e.message };
  }
  throw new Error('expected a refusal');
};

function expectSameParams(bytes: Uint8Array, weights: Uint8Array): void {
  const a = loadCheckpoint(bytes).params;
  const b = loadWeights(weights);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [name, t] of b) expect(Array.from(a.get(name)!.data)).toEqual(Array.from(t.data));
}

describe('a job started from a saved run', () => {
  it('quotes only the steps after the run, starts from its checkpoint, and the runner continues at its step', async () => {
    const run = await trainAndSave('two epochs', 2);
    expect(run.trainer.optimizer.step).toBe(2 * STEPS_PER_EPOCH);
    const stored = (await runsCollection(db).findOne({ _id: new ObjectId(run.id) }))!;
    expect(stored.checkpoint).toMatchObject({ step: 14, optimizer: 'adam' });

    const api = await world.asUser(world.alice);
    const fresh = await api.jobs.quote({ modelId: world.modelId, ...INPUT });
    const quote = await api.jobs.quote({ modelId: world.modelId, ...INPUT, fromRunId: run.id });
    // Epochs count on: the run holds 2 epochs of this data, the job trains epochs 3 to 5 (21 steps of 16 rows).
    expect(quote.startFrom).toEqual({ runId: run.id, runName: 'two epochs', step: 14, epochsDone: 2, finishesEpoch: false, steps: 21, resumesOptimizer: true });
    expect(quote.trainingFlops).toBe(quote.flopsPerSample * 21 * 16);
    expect(fresh.startFrom).toBeNull();
    expect(fresh.trainingFlops).toBe(fresh.flopsPerSample * fresh.trainingSamples * 3);

    const { jobId, job: view } = await api.jobs.submit({ modelId: world.modelId, ...INPUT, fromRunId: run.id, approvedMicro: quote.escrowMicro });
    expect(view.startFrom).toEqual({ runId: run.id, runName: 'two epochs', step: 14, epochsDone: 2, resumesOptimizer: true });
    const job = await jobOf(jobId);
    // The job's starting checkpoint is the run's, by hash: its weights are the run's weights.
    expect(job.lastCheckpoint).toMatchObject({ sha256: stored.checkpoint!.sha256, step: 14 });
    expect(job.totalSteps).toBe(35);
    const startBytes = (await getBlob(db, job.lastCheckpoint!.sha256))!;
    expect(sha256Hex(startBytes)).toBe(stored.checkpoint!.sha256);
    expectSameParams(startBytes, run.weights);
    const detail = await api.jobs.detail({ id: jobId });
    expect(detail.job.startFrom?.runName).toBe('two epochs');

    // The runner is handed the run's checkpoint and downloads it under its lease.
    const epoch = await world.lease(jobId, 'a');
    const spec = await world.started('a', jobId, epoch);
    expect(spec.startCheckpoint).toEqual({ sha256: stored.checkpoint!.sha256, step: 14, bytes: startBytes.byteLength });
    expect(spec.train.epochs).toBe(5);
    const res = await fetch(`${world.server.url}/api/runner/blobs/${spec.startCheckpoint!.sha256}?job=${jobId}&epoch=${epoch}`, { headers: { authorization: `Bearer ${world.machines.a.credential}` } });
    expect(res.status).toBe(200);
    const downloaded = new Uint8Array(await res.arrayBuffer());
    expect(sha256Hex(downloaded)).toBe(spec.startCheckpoint!.sha256);

    // It resumes there (weights, Adam state, step 14) and its first checkpoint, a step later than the run's epoch, verifies.
    const resumed = loadCheckpoint(downloaded, { plan: run.trainer.plan });
    const trainer = new CpuTrainer(spec.graph, { optimizer: parseTrainConfig(spec.train).optimizer, seed: 3, params: resumed.params, optimizerState: resumed.optimizer });
    expect(trainer.optimizer.step).toBe(14);
    let loss = 0;
    for (const batch of batches(prepareJobData(spec.data, IRIS_CSV()).train, 16, { dropLast: true })) loss = trainer.trainStep(batch).loss;
    const bytes = saveCheckpoint({ params: trainer.params, optimizer: trainer.optimizer }, spec.checkpointMetadata);
    const scores = trainer.evaluate(data.validation);
    const escrow = BigInt(job.escrowMicro);
    const answer = await world.put('a', jobId, epoch, { bytes, sha256: sha256Hex(bytes), report: { step: 21, epochIndex: 2, trainLoss: loss, valLoss: scores.loss, valAccuracy: scores.accuracy ?? null } });
    // Paid for 7 of the 21 steps the job trains, not 21 of 35.
    expect(answer.body).toMatchObject({ verified: true, step: 21, releasedMicro: ((escrow * 7n) / 21n).toString() });
  });

  it('a run that stopped part-way through one of the job’s epochs: the job finishes it, then trains the requested epochs in full', async () => {
    // Batch 20 in the "tab": one epoch is 6 steps, not quite one of the job's 7-step epochs.
    const run = await trainAndSave('batch twenty', 1, { batchSize: 20 });
    const api = await world.asUser(world.alice);
    const quote = await api.jobs.quote({ modelId: world.modelId, ...INPUT, fromRunId: run.id });
    // Steps 7 (the rest of epoch 1), then epochs 2 to 4: 1 + 21 steps.
    expect(quote.startFrom).toMatchObject({ step: 6, epochsDone: 1, finishesEpoch: true, steps: 22 });
    expect(quote.trainingFlops).toBe(quote.flopsPerSample * 22 * 16);
    const { jobId } = await api.jobs.submit({ modelId: world.modelId, ...INPUT, fromRunId: run.id, approvedMicro: quote.escrowMicro });
    expect(await jobOf(jobId)).toMatchObject({ totalSteps: 28, lastCheckpoint: { step: 6 }, startFrom: { step: 6, epochsDone: 1 } });
    await api.jobs.cancel({ id: jobId });
  });

  it('a run saved without a checkpoint starts from its weights with a fresh Adam state at step 0', async () => {
    const run = await trainAndSave('weights only', 1, { checkpoint: false });
    const api = await world.asUser(world.alice);
    const quote = await api.jobs.quote({ modelId: world.modelId, ...INPUT, fromRunId: run.id });
    expect(quote.startFrom).toMatchObject({ step: 0, epochsDone: 0, finishesEpoch: false, steps: 21, resumesOptimizer: false });
    const { jobId } = await api.jobs.submit({ modelId: world.modelId, ...INPUT, fromRunId: run.id, approvedMicro: quote.escrowMicro });
    const job = await jobOf(jobId);
    expect(job.totalSteps).toBe(21);
    const start = (await getBlob(db, job.lastCheckpoint!.sha256))!;
    expectSameParams(start, run.weights);
    const checkpoint = loadCheckpoint(start);
    expect(checkpoint.optimizer.step).toBe(0);
    expect(checkpoint.optimizer.config.type).toBe('adam');
    for (const slots of checkpoint.optimizer.slots.values()) expect(Array.from(slots.m!).every((v) => v === 0)).toBe(true);
    await api.jobs.cancel({ id: jobId });
  });

  it('refuses a run whose layers no longer fit the model, naming the layer, before any money moves', async () => {
    const run = await trainAndSave('narrow', 1);
    const models = collections(db).models;
    const model = (await models.findOne({ _id: new ObjectId(world.modelId) }))!;
    await models.updateOne({ _id: model._id }, { $set: { graph: mlpClassifier(4, [16], 3) } });
    try {
      const api = await world.asUser(world.alice);
      const before = { jobs: await jobCount(), available: await world.available(world.alice) };
      const quoted = await refusal(api.jobs.quote({ modelId: world.modelId, ...INPUT, fromRunId: run.id }));
      expect(quoted).toMatchObject({ code: 'BAD_REQUEST', appCode: 'JOB_START_RUN_INCOMPATIBLE', field: 'fromRunId' });
      expect(quoted.message).toMatch(/Layer Dense \S+: run “narrow” holds its weight as 4×8, the model now needs 4×16/);
      const submitted = await refusal(api.jobs.submit({ modelId: world.modelId, ...INPUT, fromRunId: run.id, approvedMicro: '1000000000000' }));
      expect(submitted).toMatchObject({ appCode: 'JOB_START_RUN_INCOMPATIBLE' });
      expect({ jobs: await jobCount(), available: await world.available(world.alice) }).toEqual(before);
    } finally {
      await models.updateOne({ _id: model._id }, { $set: { graph: model.graph } });
    }
  });

  it('refuses a run the caller cannot read, and a run of another model', async () => {
    const run = await trainAndSave('alice only', 1);
    // Bob, on a model of his own, names alice's run: it does not exist for him.
    const bobUser = (await collections(db).users.findOne({ _id: new ObjectId(world.bob.id) }))!;
    const bobModel = (await insertModel(db, { owner: bobUser, name: 'bob model', graph: GRAPH, layout: {}, datasetId: 'builtin:iris' })).toHexString();
    const bob = await world.asUser(world.bob);
    expect(await refusal(bob.jobs.quote({ modelId: bobModel, ...INPUT, fromRunId: run.id }))).toMatchObject({ code: 'NOT_FOUND', appCode: 'RUN_NOT_FOUND' });
    expect(await refusal(bob.jobs.submit({ modelId: bobModel, ...INPUT, fromRunId: run.id, approvedMicro: '1000000000000' }))).toMatchObject({ code: 'NOT_FOUND', appCode: 'RUN_NOT_FOUND' });

    // Alice's run of another model of hers, the same shapes: still refused.
    const aliceUser = (await collections(db).users.findOne({ _id: new ObjectId(world.alice.id) }))!;
    const other = (await insertModel(db, { owner: aliceUser, name: 'other model', graph: GRAPH, layout: {}, datasetId: 'builtin:iris' })).toHexString();
    const otherRun = await trainAndSave('other model run', 1, { modelId: other });
    const api = await world.asUser(world.alice);
    expect(await refusal(api.jobs.quote({ modelId: world.modelId, ...INPUT, fromRunId: otherRun.id }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'JOB_START_RUN_OTHER_MODEL', field: 'fromRunId' });
  });

  it('refuses a saved checkpoint that is not the run’s weights', async () => {
    const a = new CpuTrainer(GRAPH, { optimizer: { type: 'adam', lr: 0.05 } as never, seed: 1 });
    const b = new CpuTrainer(GRAPH, { optimizer: { type: 'adam', lr: 0.05 } as never, seed: 2 });
    const api = await world.asUser(world.alice);
    const err = await refusal(
      api.runs.save({
        modelId: world.modelId, clientRunId: 'mismatched-checkpoint', name: 'mismatch', config: {}, dataset: 'Iris', datasetId: 'builtin:iris', device: 'cpu', status: 'completed',
        epochs: [], batches: [], finalAccuracy: null, finalLoss: null, steps: 0, wallTimeMs: 0,
        weightsBase64: Buffer.from(saveWeights(a.params, metadata)).toString('base64'),
        checkpointBase64: Buffer.from(saveCheckpoint({ params: b.params, optimizer: b.optimizer }, metadata)).toString('base64'),
      }),
    );
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'BAD_RUN_CHECKPOINT', field: 'checkpointBase64' });
  });
});
