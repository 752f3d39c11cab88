import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDatasetFit, validateGraph } from '../compute/validate';
import { builtinSummary, findBuiltin } from './datasets/builtins';
import { verifyCredentials } from './auth/users';
import { DEMO_ADMIN, DEMO_USER, sampleMlpGraph, seedDemo } from './seed';
import { useTestDatabase } from './testing/test-db';

let db: Db;
beforeAll(async () => {
  ({ db } = await useTestDatabase('seed'));
});

describe('demo seed', () => {
  it('ships a sample model that passes graph validation', () => {
    const result = validateGraph(sampleMlpGraph());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('creates the demo accounts and sample model once, however often it runs', async () => {
    await seedDemo(db);
    await seedDemo(db);
    expect(await db.collection('users').countDocuments()).toBe(2);
    expect(await db.collection('models').countDocuments()).toBe(1);
    const model = await db.collection('models').findOne({});
    expect(model!.datasetId).toBe('builtin:digits');
    const graph = sampleMlpGraph();
    expect(checkDatasetFit(graph, validateGraph(graph), builtinSummary(findBuiltin('builtin:digits')!))).toEqual([]);
    await expect(verifyCredentials(db, DEMO_ADMIN.email, DEMO_ADMIN.password, null)).resolves.toMatchObject({ role: 'admin' });
    await expect(verifyCredentials(db, DEMO_USER.email, DEMO_USER.password, null)).resolves.toMatchObject({ role: 'user' });
  });
});
