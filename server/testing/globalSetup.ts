import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/**
 * One real MongoDB-wire server for the whole run (MONGODB_URI when set, otherwise the embedded one in
 * a throw-away folder); each test file then uses a database of its own.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-test-db-'));
    chmodSync(dir, 0o755); // mkdtemp makes it 0700, which the postgres user could not enter
    embedded = await startEmbeddedDatabase({ root, dataDir: dir, durable: false });
    uri = embedded.uri;
  }
  project.provide('mongoUri', uri);
  return async () => {
    await embedded?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
