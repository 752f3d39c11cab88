import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyx } from '../../programs/index';
import { signUp } from '../../server/auth/users';
import { getLedger } from '../../server/ledger/index';
import { machinesCollection } from '../../server/machines/collections';
import { deriveStatus } from '../../server/machines/status';
import { useTestDatabase } from '../../server/testing/test-db';
import { systemClock } from '../../node-runner/clock';
import { readConfig } from '../../node-runner/config-file';
import { PlatformServer } from '../../node-runner/testing/platform-server';
import { startDemoRunner } from './demo-runner';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const email = 'demo-provider@example.com';
let db: Db;
let ownerId: ObjectId;
let platform: PlatformServer;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-demo-runner-'));

beforeAll(async () => {
  ({ db } = await useTestDatabase('demo_runner'));
  ownerId = new ObjectId((await signUp(db, { email, username: 'demo_provider', password: 'demo-provider-1' })).id);
  // What the demo seed grants the demo user.
  await (await getLedger(db)).submit({ kind: 'mint', key: 'test-grant', at: Date.now(), by: 'seed', to: ownerId.toHexString(), amount: cyx(1000), reason: 'grant' });
  platform = new PlatformServer(db, systemClock);
  await platform.start();
});

afterAll(async () => {
  await platform.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function heardFrom(): Promise<boolean> {
  const machine = await machinesCollection(db).findOne({ ownerId, removedAt: null });
  return machine !== null && deriveStatus(machine, new Date()) === 'online';
}

describe('npm start -- --with-runner', () => {
  it('registers a machine for the demo provider through real runner processes, brings it online, and reuses it on the next start', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const first = await startDemoRunner({ root, dataDir, url: platform.url, db, email, log });
    try {
      await expect.poll(heardFrom, { timeout: 60_000, interval: 250 }).toBe(true);
    } finally {
      await first.stop();
    }
    expect(lines.join('\n')).toMatch(/\[runner\] Registered "demo machine"/);
    expect(lines.join('\n')).toMatch(/\[runner\] Stopped\./);
    const config = readConfig(path.join(dataDir, 'runner', 'runner.json'))!;
    expect(config.machine?.name).toBe('demo machine');

    const again = await startDemoRunner({ root, dataDir, url: platform.url, db, email, log });
    await again.stop();
    expect(await machinesCollection(db).countDocuments({ ownerId })).toBe(1);
    expect(readConfig(path.join(dataDir, 'runner', 'runner.json'))!.machine).toEqual(config.machine);
  });

  it('says what is missing when the demo user does not exist', async () => {
    await expect(startDemoRunner({ root, dataDir: path.join(dataDir, 'other'), url: platform.url, db, email: 'nobody@example.com', log: () => undefined })).rejects.toThrow(/needs the demo user nobody@example.com/);
  });
});
