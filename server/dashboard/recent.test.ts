import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { saveWeights } from '../../compute/export';
import { buildModelPlan, initParameters } from '../../compute/model';
import { signUp, type PublicUser } from '../auth/users';
import type { SaveRunInput } from '../runs/schema';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from '../trpc/context';
import { createCaller } from '../trpc/root';
import { RECENT_LIMIT } from './recent';

let db: Db;
let ann: PublicUser;
let ben: PublicUser;
const weights = Buffer.from(saveWeights(initParameters(buildModelPlan(mlpClassifier(4, [3], 2)), { seed: 1 }))).toString('base64');

const as = async (user: PublicUser) => createCaller(await createContext({ db, headers: new Headers(), sessionUserId: user.id }));

function run(modelId: string, name: string): SaveRunInput {
  return {
    modelId,
    clientRunId: `run-${new ObjectId().toHexString()}`,
    name,
    config: { epochs: 1, batchSize: 16 },
    dataset: 'Blobs (synthetic)',
    device: 'swiftshader',
    status: 'completed',
    epochs: [{ epoch: 0, step: 10, loss: 0.5, accuracy: 0.8, valLoss: 0.45, valAccuracy: 0.85, timeMs: 100 }],
    batches: [{ step: 5, loss: 0.6, accuracy: 0.7 }],
    finalAccuracy: 0.85,
    finalLoss: 0.45,
    steps: 10,
    wallTimeMs: 100,
    weightsBase64: weights,
  };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('dashboard_recent'));
  ann = await signUp(db, { email: 'ann@example.com', username: 'ann', password: 'ann-password-1' });
  ben = await signUp(db, { email: 'ben@example.com', username: 'ben', password: 'ben-password-1' });
});

describe('dashboard.recent', () => {
  it('is empty for a new person', async () => {
    expect(await (await as(ann)).dashboard.recent()).toEqual({ models: [], runs: [], jobs: [] });
  });

  it('shows a few of my models (shared ones too) and my own runs, newest first, and nobody else’s', async () => {
    const a = await as(ann);
    const b = await as(ben);
    const ids: string[] = [];
    for (let i = 0; i < RECENT_LIMIT + 2; i++) ids.push((await a.models.create({ name: `Model ${i}` })).id);
    const { id: bens } = await b.models.create({ name: 'Ben shares this' });
    await b.models.share({ id: bens, who: 'ann', role: 'editor' });
    await a.runs.save(run(ids[0]!, 'first run'));
    await a.runs.save(run(bens, 'on Ben’s model'));
    await b.runs.save(run(bens, 'Ben’s own run'));

    const recent = await a.dashboard.recent();
    expect(recent.models).toHaveLength(RECENT_LIMIT);
    expect(recent.models[0]).toMatchObject({ name: 'Ben shares this', mine: false });
    expect(recent.runs.map((r) => [r.name, r.modelName, r.epochs])).toEqual([
      ['on Ben’s model', 'Ben shares this', 1],
      ['first run', 'Model 0', 1],
    ]);
    expect(recent.jobs).toEqual([]);
    expect((await b.dashboard.recent()).runs.map((r) => r.name)).toEqual(['Ben’s own run']);
  });

  it('leaves out runs whose model was deleted', async () => {
    const b = await as(ben);
    const { id } = await b.models.create({ name: 'Short-lived' });
    await b.runs.save(run(id, 'orphaned'));
    expect((await b.dashboard.recent()).runs.map((r) => r.name)).toContain('orphaned');
    await b.models.delete({ id });
    expect((await b.dashboard.recent()).runs.map((r) => r.name)).not.toContain('orphaned');
  });
});
