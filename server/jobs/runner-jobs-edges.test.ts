import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { GraphBuilder, mlpClassifier } from '../../compute/graph';
import { CpuTrainer } from '../../compute/model/trainer';
import { collections } from '../db/collections';
import { sha256Hex } from '../datasets/blob-store';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { uploadDataset } from '../datasets/upload';
import { insertModel } from '../models/lifecycle';
import { useTestDatabase } from '../testing/test-db';
import { jobCheckpointsCollection, jobProgressCollection, jobsCollection } from './collections';
import { readJobSpec } from './job-spec';
import { CpuRunner, IRIS_INPUT, RunnerWorld, type MachineKey } from './testing/runner-world';

/** What H1's runner-jobs tests left out: stored datasets, refusals before money, hand-back and fail, progress rate, hostile uploads. */
let db: Db;
let world: RunnerWorld;
const iris = () => builtinCsv(findBuiltin('builtin:iris') as never);

beforeAll(async () => {
  ({ db } = await useTestDatabase('jobs_runner_edges'));
  world = await new RunnerWorld(db).start(mlpClassifier(4, [8], 3));
});

afterAll(async () => {
  await world?.stop();
});

const jobOf = async (jobId: string) => (await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }))!;
const submitRefused = async (input: object, modelId = world.modelId) => {
  const before = await world.available(world.alice);
  const error = await (await world.asUser(world.alice)).jobs.submit({ modelId, ...IRIS_INPUT, approvedMicro: '100000000', ...input }).then(() => null, (e: { cause?: { code?: string; field?: string; message?: string } }) => e.cause);
  expect(await world.available(world.alice)).toBe(before);
  return error;
};
const cancel = async (jobId: string) => (await world.asUser(world.alice)).jobs.cancel({ id: jobId });
const started = async (m: MachineKey) => {
  const { jobId, epoch } = await world.leasedJob(m);
  return { jobId, epoch, spec: await world.started(m, jobId, epoch) };
};

describe('the spec of a stored CSV dataset', () => {
  it('names the uploaded file by its sha256 with its label column and reading, and counts the steps exactly', async () => {
    const lines = ['a,b,c,d,species'];
    for (let r = 0; r < 60; r++) lines.push(`${r % 7},${(r * 3) % 11},${(r * 5) % 13},${r % 4},${['x', 'y', 'z'][r % 3]}`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    const dataset = await uploadDataset(db, new ObjectId(world.alice.id), { name: 'rows', data: { filename: 'rows.csv', bytes } });
    const jobId = await world.submit({ ...IRIS_INPUT, datasetId: dataset._id.toHexString(), config: { ...IRIS_INPUT.config, batchSize: 8 } });
    const spec = (await readJobSpec(db, new ObjectId(jobId)))!;
    expect(spec.data.source).toMatchObject({ kind: 'csv', label: 'rows', sha256: sha256Hex(bytes), bytes: bytes.byteLength, labelColumn: 4 });
    expect(dataset.files.data.sha256).toBe(sha256Hex(bytes));
    expect(spec.data.source.kind === 'csv' && spec.data.source.reading).toMatchObject({ header: expect.anything() });
    const trainRows = 60 - Math.round(60 * spec.data.validationFraction);
    expect(spec.totalSteps).toBe(2 * Math.floor(trainRows / 8));
    expect((await jobOf(jobId)).totalSteps).toBe(spec.totalSteps);
    await cancel(jobId);
  });
});

describe('refused before any money moves', () => {
  it('an IDX dataset: DATASET_KIND_UNSUPPORTED', async () => {
    const images = new Uint8Array([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const labels = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 3, 0, 1, 1]);
    const dataset = await uploadDataset(db, new ObjectId(world.alice.id), { name: 'tiny', data: { filename: 'images.idx3-ubyte', bytes: images }, labels: { filename: 'labels.idx1-ubyte', bytes: labels } });
    // A model that fits the 2x2 images, so the quote's fit check passes and the data's kind is what refuses.
    const g = new GraphBuilder();
    const logits = g.then(g.then(g.add('Input', { shape: [2, 2, 1] }), 'Flatten'), 'Dense', { units: 2 });
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(logits, loss, 'logits');
    g.connect(g.add('Labels', { encoding: 'class-index' }), loss, 'labels');
    const owner = (await collections(db).users.findOne({ _id: new ObjectId(world.alice.id) }))!;
    const modelId = (await insertModel(db, { owner, name: 'tiny images', graph: g.build(), layout: {}, datasetId: dataset._id.toHexString() })).toHexString();
    expect(await submitRefused({ datasetId: dataset._id.toHexString() }, modelId)).toMatchObject({ code: 'DATASET_KIND_UNSUPPORTED', field: 'datasetId' });
  });

  it('a graph that cannot be trained', async () => {
    const owner = (await collections(db).users.findOne({ _id: new ObjectId(world.alice.id) }))!;
    const graph = mlpClassifier(4, [8], 3);
    const broken = { ...graph, edges: graph.edges.slice(1) };
    const modelId = (await insertModel(db, { owner, name: 'broken', graph: broken, layout: {}, datasetId: 'builtin:iris' })).toHexString();
    expect(await submitRefused({}, modelId)).toMatchObject({ code: 'GRAPH_INVALID', field: 'modelId' });
  });
});

describe('progress', () => {
  it('a report less than a second after the last is answered but not stored', async () => {
    const { jobId, epoch } = await started('a');
    const at = Date.now();
    const report = (step: number, ms: number) => world.asMachine('a', new Date(at + ms)).then((api) => api.runner.jobProgress({ jobId, epoch, step, epochIndex: 0, loss: 1, accuracy: null, samplesPerSecond: 10, etaSeconds: 1 }));
    expect(await report(1, 0)).toEqual({ keepGoing: true });
    expect(await report(2, 500)).toEqual({ keepGoing: true });
    expect((await jobOf(jobId)).progress).toMatchObject({ step: 1 });
    expect(await report(3, 1_500)).toEqual({ keepGoing: true });
    expect((await jobOf(jobId)).progress).toMatchObject({ step: 3 });
    expect((await jobProgressCollection(db).find({ jobId: new ObjectId(jobId) }).toArray()).map((p) => p.step).sort()).toEqual([1, 3]);
    await cancel(jobId);
  });
});

describe('hostile uploads', () => {
  it('a huge, non-JSON or non-finite report header is refused with a code and nothing is stored', async () => {
    const { jobId, epoch, spec } = await started('a');
    const checkpoint = new CpuRunner(spec, iris()).epoch(0);
    const send = (report: string) => world.upload('a', jobId, epoch, checkpoint.bytes, { 'x-cyxwiz-sha256': checkpoint.sha256, 'x-cyxwiz-report': report });
    const huge = await fetch(`${world.server.url}/api/runner/jobs/${jobId}/checkpoints?epoch=${epoch}`, { method: 'PUT', body: new Blob([checkpoint.bytes as Uint8Array<ArrayBuffer>]), headers: { authorization: `Bearer ${world.machines.a.credential}`, 'x-cyxwiz-sha256': checkpoint.sha256, 'x-cyxwiz-report': 'x'.repeat(100_000) } });
    expect(huge.status).toBe(431);
    expect(await send('not json')).toMatchObject({ status: 400, body: { code: 'CHECKPOINT_REPORT_INVALID' } });
    expect(await send('{"step":7,"epochIndex":0,"trainLoss":NaN,"valLoss":1,"valAccuracy":0.5}')).toMatchObject({ status: 400, body: { code: 'CHECKPOINT_REPORT_INVALID' } });
    expect(await send('{"step":7,"epochIndex":0,"trainLoss":1,"valLoss":1e999,"valAccuracy":0.5}')).toMatchObject({ status: 400, body: { code: 'CHECKPOINT_REPORT_INVALID', field: 'x-cyxwiz-report.valLoss' } });
    expect(await jobCheckpointsCollection(db).countDocuments({ jobId: new ObjectId(jobId) })).toBe(0);
    expect(await jobOf(jobId)).toMatchObject({ status: 'RUNNING', paidMicro: '0' });
    await cancel(jobId);
  });
});

describe('the runner stops', () => {
  it('jobHandBack: no slash, not excluded, back to ESCROWED, and the next lease resumes from the last checkpoint', async () => {
    const { jobId, epoch, spec } = await started('a');
    const first = new CpuRunner(spec, iris()).epoch(0);
    expect((await world.put('a', jobId, epoch, first)).body.verified).toBe(true);
    const stake = await world.stakeOf(world.machines.a.id);
    expect(await (await world.asMachine('a')).runner.jobHandBack({ jobId, epoch })).toEqual({ status: 'ESCROWED' });
    expect(await world.stakeOf(world.machines.a.id)).toBe(stake);
    expect(await jobOf(jobId)).toMatchObject({ status: 'ESCROWED', lease: null, excludedMachines: [], lastCheckpoint: { sha256: first.sha256, step: 7 } });
    const again = await world.lease(jobId, 'a');
    expect(again).toBeGreaterThan(epoch);
    expect((await (await world.asMachine('a')).runner.jobSpec({ jobId, epoch: again })).startCheckpoint).toEqual({ sha256: first.sha256, step: 7, bytes: first.bytes.byteLength });
    await cancel(jobId);
  });

  it('jobFail: the machine is excluded from the job but not slashed', async () => {
    const { jobId, epoch } = await started('b');
    const stake = await world.stakeOf(world.machines.b.id);
    const { status } = await (await world.asMachine('b')).runner.jobFail({ jobId, epoch, reason: 'out of GPU memory' });
    expect(status).toBe('ESCROWED');
    expect(await world.stakeOf(world.machines.b.id)).toBe(stake);
    expect(await jobOf(jobId)).toMatchObject({ status: 'ESCROWED', lease: null, excludedMachines: [world.machines.b.id] });
    await cancel(jobId);
  });
});

describe('checkpoints that are not this model', () => {
  it('weights with the wrong names or shapes are an invalid verdict with a reason, not a 500', async () => {
    const { jobId, epoch, spec } = await started('a');
    const other = new CpuTrainer(mlpClassifier(4, [5], 3), { optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, seed: 1 });
    const honest = new CpuRunner(spec, iris()).epoch(0);
    const bytes = saveCheckpoint({ params: other.params, optimizer: { ...other.optimizer, step: 7 } as never }, spec.checkpointMetadata);
    const answer = await world.put('a', jobId, epoch, { bytes, sha256: sha256Hex(bytes), report: honest.report });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verified: false, releasedMicro: '0' });
    expect(answer.body.reason).toMatch(/not a checkpoint of this model|do not fit this model/);
    await cancel(jobId);
  });

  it('a 12-byte body is an invalid verdict with a reason', async () => {
    const { jobId, epoch, spec } = await started('b');
    const bytes = new TextEncoder().encode('twelve bytes');
    expect(bytes.byteLength).toBe(12);
    const report = new CpuRunner(spec, iris()).epoch(0).report;
    const answer = await world.put('b', jobId, epoch, { bytes, sha256: sha256Hex(bytes), report });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ verified: false, releasedMicro: '0' });
    expect(answer.body.reason).toMatch(/not a checkpoint of this model/);
    await cancel(jobId);
  });
});
