import type { Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../compute/validate';
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
    await expect(verifyCredentials(db, DEMO_ADMIN.email, DEMO_ADMIN.password, null)).resolves.toMatchObject({ role: 'admin' });
    await expect(verifyCredentials(db, DEMO_USER.email, DEMO_USER.password, null)).resolves.toMatchObject({ role: 'user' });
  });
});
