import { createHash } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphHash, mlpClassifier } from '../../compute/graph';
import { buildModelPlan, initParameters } from '../../compute/model';
import { loadWeights, modelMetadataEntries, readModelMetadata, readSafetensors, saveWeights } from '../../compute/export';
import { signUp, type PublicUser } from '../auth/users';
import { builtinCsv, findBuiltin } from '../datasets/builtins';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import type { SaveRunInput } from './schema';

let db: Db;
let owner: PublicUser;
let editor: PublicUser;
let viewer: PublicUser;
let stranger: PublicUser;
let modelId: string;
const weights = saveWeights(initParameters(buildModelPlan(mlpClassifier(4, [3], 2)), { seed: 1 }));

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

function runInput(overrides: Partial<SaveRunInput> = {}): SaveRunInput {
  return {
    modelId,
    clientRunId: `run-${new ObjectId().toHexString()}`,
    name: 'Adam 1e-3',
    config: { epochs: 2, batchSize: 16, optimizer: { type: 'adam', lr: 0.001 } },
    dataset: 'Blobs (synthetic)',
    device: 'swiftshader',
    status: 'completed',
    epochs: [
      { epoch: 0, step: 10, loss: 0.9, accuracy: 0.6, valLoss: 0.8, valAccuracy: 0.65, timeMs: 120 },
      { epoch: 1, step: 20, loss: 0.5, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.85, timeMs: 110 },
    ],
    batches: [
      { step: 5, loss: 1.1, accuracy: 0.5 },
      { step: 15, loss: 0.6, accuracy: null },
    ],
    finalAccuracy: 0.85,
    finalLoss: 0.45,
    steps: 20,
    wallTimeMs: 300,
    weightsBase64: Buffer.from(weights).toString('base64'),
    ...overrides,
  };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('runs'));
  owner = await signUp(db, { email: 'owner@example.com', username: 'owner', password: 'owner-password-1' });
  editor = await signUp(db, { email: 'editor@example.com', username: 'editor', password: 'editor-password-1' });
  viewer = await signUp(db, { email: 'viewer@example.com', username: 'viewer', password: 'viewer-password-1' });
  stranger = await signUp(db, { email: 'stranger@example.com', username: 'stranger', password: 'stranger-password-1' });
  const asOwner = await as(owner);
  ({ id: modelId } = await asOwner.models.create({ name: 'Runs model' }));
  await asOwner.models.share({ id: modelId, who: 'editor', role: 'editor' });
  await asOwner.models.share({ id: modelId, who: 'viewer', role: 'viewer' });
});

describe('saving training runs', () => {
  it('stores metrics and weights (GridFS, with sha256) and reads them back intact', async () => {
    const saved = await (await as(editor)).runs.save(runInput({ name: 'first' }));
    expect(saved.created).toBe(true);
    const run = await (await as(viewer)).runs.get({ id: saved.id });
    expect(run).toMatchObject({ name: 'first', by: 'editor', dataset: 'Blobs (synthetic)', status: 'completed', finalAccuracy: 0.85, steps: 20, epochs: 2 });
    expect(run.metrics.epochs[1]).toEqual({ epoch: 1, step: 20, loss: 0.5, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.85, timeMs: 110 });
    expect(run.metrics.batches).toHaveLength(2);
    expect(run.weights.sha256).toBe(createHash('sha256').update(weights).digest('hex'));

    const file = await (await as(viewer)).runs.weights({ id: saved.id });
    const bytes = new Uint8Array(Buffer.from(file.base64, 'base64'));
    expect(bytes).toEqual(weights);
    expect(loadWeights(bytes).get('dense1.weight')?.shape).toEqual([4, 3]);
    const gridfs = await db.collection('artifacts.files').findOne({ _id: (await db.collection('runs').findOne({ _id: new ObjectId(saved.id) }))!.weights.fileId });
    expect(gridfs?.metadata).toMatchObject({ kind: 'weights', sha256: run.weights.sha256 });
  });

  it('treats a retried save (same clientRunId) as the same run, leaving no orphan weights', async () => {
    const input = runInput({ name: 'retried' });
    const first = await (await as(owner)).runs.save(input);
    const filesBefore = await db.collection('artifacts.files').countDocuments();
    const second = await (await as(owner)).runs.save(input);
    expect(second).toEqual({ id: first.id, created: false });
    expect(await db.collection('artifacts.files').countDocuments()).toBe(filesBefore);
    expect(await db.collection('runs').countDocuments({ clientRunId: input.clientRunId })).toBe(1);
  });

  it('lets only editors and the owner save, and hides the model from strangers', async () => {
    await expect((await as(viewer)).runs.save(runInput())).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Viewers cannot change this model.' });
    await expect((await as(stranger)).runs.save(runInput())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as(stranger)).runs.list({ modelId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const someRun = (await (await as(owner)).runs.list({ modelId })).items[0]!;
    await expect((await as(stranger)).runs.get({ id: someRun.id })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('No such training run') });
    await expect((await as(stranger)).runs.weights({ id: someRun.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await as(owner)).runs.get({ id: 'not-an-id' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('rejects bad input with field-level reasons and writes nothing', async () => {
    const runsBefore = await db.collection('runs').countDocuments();
    const filesBefore = await db.collection('artifacts.files').countDocuments();
    await expect((await as(owner)).runs.save(runInput({ weightsBase64: Buffer.from('not safetensors at all').toString('base64') }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('not a valid safetensors file'),
    });
    await expect((await as(owner)).runs.save(runInput({ finalAccuracy: Number.NaN }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect((await as(owner)).runs.save(runInput({ clientRunId: 'bad id!' }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await db.collection('runs').countDocuments()).toBe(runsBefore);
    expect(await db.collection('artifacts.files').countDocuments()).toBe(filesBefore);
  });

  it('lists a model’s runs newest first without the batch samples, for viewers too', async () => {
    await (await as(owner)).runs.save(runInput({ name: 'newest', finalAccuracy: 0.9 }));
    const { items: list, nextCursor } = await (await as(viewer)).runs.list({ modelId });
    expect(list[0]).toMatchObject({ name: 'newest', by: 'owner', finalAccuracy: 0.9, epochs: 2, weights: { bytes: weights.byteLength } });
    expect(list.map((r) => r.name)).toEqual(['newest', 'retried', 'first']);
    expect(list[0]).not.toHaveProperty('metrics');
    expect(nextCursor).toBeNull();
  });

  it('pages through the runs newest first, each exactly once', async () => {
    for (let i = 0; i < 4; i++) await (await as(owner)).runs.save(runInput({ name: `paged ${i}` }));
    const all = (await (await as(viewer)).runs.list({ modelId, limit: 100 })).items.map((r) => r.id);
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await (await as(viewer)).runs.list({ modelId, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
    await expect((await as(viewer)).runs.list({ modelId, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect((await as(viewer)).runs.list({ modelId, limit: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('a run keeps the preprocessing its model was trained with', () => {
  const preprocessing = { kind: 'standardize' as const, mean: [5.8, 3.1, 3.8, 1.2], std: [0.8, 0.4, 1.8, 0.8] };
  const params = initParameters(buildModelPlan(mlpClassifier(4, [3], 2)), { seed: 1 });
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  let scaledModel: string;

  beforeAll(async () => {
    ({ id: scaledModel } = await (await as(owner)).models.create({ name: 'Scaled model' }));
  });

  it('stores the fitted statistics and class names sent with the run', async () => {
    const saved = await (await as(owner)).runs.save(runInput({ modelId: scaledModel, preprocessing, classNames: ['no', 'yes'] }));
    expect(await (await as(owner)).runs.get({ id: saved.id })).toMatchObject({ preprocessing, classNames: ['no', 'yes'] });
  });

  it('reads them from the weights file metadata when the run does not send them', async () => {
    const minmax = { kind: 'minmax' as const, min: [0, 0, 1, 0], max: [8, 4.5, 7, 2.5] };
    const file = saveWeights(params, modelMetadataEntries({ preprocessing: minmax, classNames: ['a', 'b'] }));
    const saved = await (await as(owner)).runs.save(runInput({ modelId: scaledModel, weightsBase64: base64(file) }));
    expect(await (await as(owner)).runs.get({ id: saved.id })).toMatchObject({ preprocessing: minmax, classNames: ['a', 'b'] });
  });

  it('answers null for a run saved without any (older runs)', async () => {
    const saved = await (await as(owner)).runs.save(runInput({ modelId: scaledModel }));
    expect(await (await as(owner)).runs.get({ id: saved.id })).toMatchObject({ preprocessing: null, classNames: [], inputColumns: null });
  });

  // animal one-hot (3 features) + weight: the 4 features the preprocessing scales.
  const inputColumns = [
    { name: 'animal', kind: 'categorical' as const, categories: ['bird', 'cat', 'dog'], encoding: 'one-hot' as const },
    { name: 'weight', kind: 'numeric' as const },
  ];

  it('keeps the input columns of a categorical table, sent with the run or read from the weights file', async () => {
    const sent = await (await as(owner)).runs.save(runInput({ modelId: scaledModel, preprocessing, classNames: ['no', 'yes'], inputColumns }));
    expect(await (await as(owner)).runs.get({ id: sent.id })).toMatchObject({ preprocessing, inputColumns });
    const file = saveWeights(params, modelMetadataEntries({ preprocessing, classNames: ['no', 'yes'], inputColumns }));
    const fromFile = await (await as(owner)).runs.save(runInput({ modelId: scaledModel, weightsBase64: base64(file) }));
    expect(await (await as(owner)).runs.get({ id: fromFile.id })).toMatchObject({ preprocessing, classNames: ['no', 'yes'], inputColumns });
    // The stored weights still carry them, so a download or re-export keeps the encoding.
    const weightsBack = new Uint8Array(Buffer.from((await (await as(owner)).runs.weights({ id: fromFile.id })).base64, 'base64'));
    expect(readModelMetadata(readSafetensors(weightsBack).metadata)?.inputColumns).toEqual(inputColumns);
  });

  it('refuses input columns that disagree with the weights file or the preprocessing width, and writes nothing', async () => {
    const runsBefore = await db.collection('runs').countDocuments();
    const file = saveWeights(params, modelMetadataEntries({ preprocessing, classNames: [], inputColumns }));
    const reordered = [{ ...inputColumns[0]!, categories: ['cat', 'bird', 'dog'] }, inputColumns[1]!];
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, weightsBase64: base64(file), inputColumns: reordered }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('differ from the ones recorded in its weights file'),
    });
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, preprocessing, inputColumns: [inputColumns[1]!] }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('encode to 1 features but the preprocessing was fitted on 4'),
    });
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, inputColumns }))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('need the preprocessing') });
    const tooMany = [{ name: 'c', kind: 'categorical' as const, categories: Array.from({ length: 257 }, (_, i) => `c${i}`), encoding: 'one-hot' as const }];
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, preprocessing, inputColumns: tooMany }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await db.collection('runs').countDocuments()).toBe(runsBefore);
  });

  it('refuses statistics that disagree with the weights file or are malformed, and writes nothing', async () => {
    const runsBefore = await db.collection('runs').countDocuments();
    const file = saveWeights(params, modelMetadataEntries({ preprocessing, classNames: [] }));
    const other = { ...preprocessing, mean: [0, 0, 0, 0] };
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, weightsBase64: base64(file), preprocessing: other }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('differs from the one recorded in its weights file'),
    });
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, preprocessing: { ...preprocessing, std: [0, 1, 1, 1] } }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const broken = saveWeights(params, { preprocessing: '{"kind":"minmax"' });
    await expect((await as(owner)).runs.save(runInput({ modelId: scaledModel, weightsBase64: base64(broken) }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('preprocessing metadata is malformed'),
    });
    expect(await db.collection('runs').countDocuments()).toBe(runsBefore);
  });
});

describe('a run records what it trained on and how it ended', () => {
  const graph = mlpClassifier(4, [3], 2);
  // The server's own hash of the built-in iris file: what a tab that fetched it computes too.
  const datasetSha256 = createHash('sha256').update(builtinCsv(findBuiltin('builtin:iris') as Parameters<typeof builtinCsv>[0])).digest('hex');

  it('stores the whole config, graph version, dataset id and sha256, and test metrics; lists them', async () => {
    const config = { epochs: 3, batchSize: 8, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9 }, validationFraction: 0.2, testFraction: 0.1, seed: 7, earlyStopping: { patience: 2 } };
    const saved = await (await as(owner)).runs.save(
      runInput({ name: 'recorded', config, graphHash: graphHash(graph), datasetId: 'builtin:iris', datasetSha256, testAccuracy: 0.9, testLoss: 0.3 }),
    );
    const run = await (await as(viewer)).runs.get({ id: saved.id });
    expect(run).toMatchObject({ config, graphHash: graphHash(graph), datasetId: 'builtin:iris', datasetSha256, testAccuracy: 0.9, testLoss: 0.3, finalAccuracy: 0.85, finalLoss: 0.45 });
    const listed = (await (await as(viewer)).runs.list({ modelId, limit: 100 })).items.find((r) => r.id === saved.id);
    expect(listed).toMatchObject({ graphHash: graphHash(graph), datasetId: 'builtin:iris', datasetSha256, testAccuracy: 0.9 });
  });

  it('answers null for runs saved without them', async () => {
    const saved = await (await as(owner)).runs.save(runInput({ name: 'unrecorded' }));
    expect(await (await as(owner)).runs.get({ id: saved.id })).toMatchObject({ graphHash: null, datasetId: null, datasetSha256: null, testAccuracy: null, testLoss: null });
  });

  it("records a dataset's sha256 from the server's record, and refuses a run whose browser hash disagrees", async () => {
    const other = createHash('sha256').update('a,b,label\n1,2,0\n').digest('hex');
    const runsBefore = await db.collection('runs').countDocuments();
    await expect((await as(owner)).runs.save(runInput({ datasetId: 'builtin:iris', datasetSha256: other }))).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('differs from dataset builtin:iris'),
    });
    expect(await db.collection('runs').countDocuments()).toBe(runsBefore);
    // Without a browser hash the server's is recorded all the same.
    const saved = await (await as(owner)).runs.save(runInput({ datasetId: 'builtin:iris' }));
    expect(await (await as(owner)).runs.get({ id: saved.id })).toMatchObject({ datasetId: 'builtin:iris', datasetSha256 });
    // A generated built-in has no bytes; a local file keeps the browser's hash.
    const spirals = await (await as(owner)).runs.save(runInput({ datasetId: 'builtin:spirals', datasetSha256: other }));
    expect(await (await as(owner)).runs.get({ id: spirals.id })).toMatchObject({ datasetId: 'builtin:spirals', datasetSha256: null });
    const local = await (await as(owner)).runs.save(runInput({ datasetId: null, datasetSha256: other }));
    expect(await (await as(owner)).runs.get({ id: local.id })).toMatchObject({ datasetId: null, datasetSha256: other });
    // Someone else's stored dataset answers like a missing one.
    await expect((await as(owner)).runs.save(runInput({ datasetId: `ds:${new ObjectId().toHexString()}` }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a graph version or dataset sha256 that is not a hex SHA-256', async () => {
    await expect((await as(owner)).runs.save(runInput({ graphHash: 'abc' }))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('SHA-256') });
    await expect((await as(owner)).runs.save(runInput({ datasetSha256: 'Z'.repeat(64) }))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
