import type { Db, MongoClient } from 'mongodb';
import { createMongoClient, databaseNameFrom, redactUri } from './client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { ensureIndexes } from './indexes';
import { backfillUsernameLower } from '../auth/users';
import { migrateModelMembers } from '../models/migrate-members';
import { closeLedger, getLedger } from '../ledger/get-ledger';

const OPTIMIZE_EVERY_MS = 60_000;

export class DatabaseUnavailableError extends Error {
  readonly code = 'DB_UNAVAILABLE';
}

export interface ReadyDatabase {
  uri: string;
  db: Db;
  client: MongoClient;
  /** Which engine serves, e.g. "FerretDB v1.24.0 on PostgreSQL 15.18" or "MongoDB". */
  engine: string;
  description: string;
  /** Closes the client and, if we started it, stops the embedded server (which flushes its files). */
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set (and reachable), otherwise the embedded server under `dataDir`.
 * Indexes are created before anything else touches the database.
 */
export async function bootstrapDatabase(opts: { root: string; dataDir: string; uri?: string; log?: (message: string) => void }): Promise<ReadyDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let uri = opts.uri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ root: opts.root, dataDir: opts.dataDir, log: opts.log });
    uri = embedded.uri;
  }
  const client = createMongoClient(uri, embedded ? 10_000 : 5_000);
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    await embedded?.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(
      embedded
        ? `The embedded database started but does not answer: ${reason}`
        : `Cannot reach MongoDB at ${redactUri(uri)} (${reason}).\n` +
            'Check that the server is running and MONGODB_URI is right, or unset MONGODB_URI to use the embedded database.',
    );
  }
  const db = client.db(databaseNameFrom(uri));
  await ensureIndexes(db);
  await migrateModelMembers(db);
  const { conflicts } = await backfillUsernameLower(db);
  if (conflicts.length) opts.log?.(`usernames that differ only in case, left for an admin to rename: ${conflicts.join(', ')}`);
  try {
    // The ledger view is rebuilt now: a snapshot that fails its hash stops the start (LEDGER_SNAPSHOT_CORRUPT).
    const ledger = await getLedger(db);
    opts.log?.(`ledger: ${ledger.seq} instructions in the log`);
  } catch (error) {
    await client.close().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }
  await embedded?.optimizeIndexes();
  // Collections that appear later (GridFS buckets, new features) get their companion indexes soon after.
  const optimizer = embedded
    ? setInterval(() => void embedded.optimizeIndexes().catch((e: unknown) => opts.log?.(`index upkeep failed: ${String(e)}`)), OPTIMIZE_EVERY_MS)
    : null;
  optimizer?.unref();
  return {
    uri,
    db,
    client,
    engine: embedded ? embedded.description : 'MongoDB',
    description: embedded ? `embedded ${embedded.description} at ${uri} (data in ${opts.dataDir})` : `MongoDB at ${redactUri(uri)}`,
    async stop() {
      if (optimizer) clearInterval(optimizer);
      await closeLedger(db).catch(() => undefined);
      await client.close().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
