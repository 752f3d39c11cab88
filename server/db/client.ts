import { MongoClient, type Db } from 'mongodb';

const DEFAULT_DB = 'cyxwiz';

/** The database named in the URI's path, or MONGODB_DB, or the default. */
export function databaseNameFrom(uri: string): string {
  if (process.env.MONGODB_DB) return process.env.MONGODB_DB;
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : DEFAULT_DB;
}

/** Hides the password in a connection string before it is printed. */
export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}

export function createMongoClient(uri: string, serverSelectionTimeoutMS = 5_000): MongoClient {
  return new MongoClient(uri, { serverSelectionTimeoutMS, appName: 'cyxwiz-web' });
}

interface Shared {
  client: MongoClient;
  db: Db;
  uri: string;
}

// One client per process; kept on globalThis so Next's module reloads and bundles share it.
const holder = globalThis as unknown as { __cyxwizMongo?: Shared };

function shared(): Shared {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: start the app with `npm start`, or set it to your MongoDB.');
  if (!holder.__cyxwizMongo || holder.__cyxwizMongo.uri !== uri) {
    const client = createMongoClient(uri);
    holder.__cyxwizMongo = { client, db: client.db(databaseNameFrom(uri)), uri };
  }
  return holder.__cyxwizMongo;
}

/** The process-wide database handle, connected lazily from MONGODB_URI. */
export function getDb(): Db {
  return shared().db;
}

export function getMongoClient(): MongoClient {
  return shared().client;
}

export async function closeDb(): Promise<void> {
  const shared = holder.__cyxwizMongo;
  holder.__cyxwizMongo = undefined;
  await shared?.client.close();
}
