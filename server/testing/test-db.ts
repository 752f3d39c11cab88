import { randomBytes } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { afterAll, inject } from 'vitest';
import { createMongoClient } from '../db/client';
import { ensureIndexes } from '../db/indexes';

/**
 * A fresh database on the real test server for one test file, with the app's indexes, dropped
 * when the file finishes.
 */
export async function useTestDatabase(label: string): Promise<{ db: Db; client: MongoClient; uri: string }> {
  const uri = inject('mongoUri');
  const client = createMongoClient(uri);
  await client.connect();
  const name = `test_${label.replace(/[^a-zA-Z0-9]/g, '_').slice(0, 30)}_${randomBytes(3).toString('hex')}`;
  const db = client.db(name);
  await ensureIndexes(db);
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });
  return { db, client, uri: uri.replace(/\/?$/, `/${name}`) };
}
