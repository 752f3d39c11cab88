import type { Db, MongoClient } from 'mongodb';
import { createMongoClient, databaseNameFrom, redactUri } from './client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { ensureIndexes } from './indexes';

export class DatabaseUnavailableError extends Error {
  readonly code = 'DB_UNAVAILABLE';
}

export interface ReadyDatabase {
  uri: string;
  db: Db;
  client: MongoClient;
  description: string;
  /** Closes the client and, if we started it, stops the embedded server (which flushes its files). */
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set (and reachable), otherwise the embedded server under `dataDir`.
 * Indexes are created before anything else touches the database.
 */
export async function bootstrapDatabase(opts: { root: string; dataDir: string; uri?: string }): Promise<ReadyDatabase> {
  let embedded: EmbeddedDatabase | null = null;
  let uri = opts.uri;
  if (!uri) {
    embedded = await startEmbeddedDatabase({ root: opts.root, dataDir: opts.dataDir });
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
  return {
    uri,
    db,
    client,
    description: embedded ? `embedded ${embedded.engine} at ${uri} (data in ${opts.dataDir})` : `MongoDB at ${redactUri(uri)}`,
    async stop() {
      await client.close().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
