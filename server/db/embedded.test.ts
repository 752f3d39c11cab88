import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { commandLine, isAlive } from './processes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-embedded-'));
  chmodSync(dir, 0o755); // mkdtemp makes it 0700: the postgres user could not enter it
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Starts the database in another process, which then either crashes (exits without stopping it) or stays up. */
function startInChild(dataDir: string, then: 'crash' | 'stay'): Promise<{ uri: string; pid: number; kill(): Promise<void> }> {
  const script = `
    import { startEmbeddedDatabase } from './server/db/embedded.ts';
    const db = await startEmbeddedDatabase({ root: process.cwd(), dataDir: ${JSON.stringify(dataDir)}, durable: false });
    console.log('URI ' + db.uri);
    if (${JSON.stringify(then)} === 'crash') process.exit(0); // no stop(): as after kill -9
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const uri = /URI (\S+)/.exec(out)?.[1];
      if (uri) resolve({ uri, pid: child.pid!, kill });
    });
    child.on('exit', (code) => {
      if (!/URI /.test(out)) reject(new Error(`child exited (${code}) before starting the database`));
    });
  });
}

/** Live FerretDB and postmaster processes serving `dataDir`. */
function serversFor(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      const cmd = commandLine(pid);
      return cmd.includes(dataDir) && /ferretdb|postgres -D/.test(cmd) && isAlive(pid);
    });
}

describe('embedded database', () => {
  let db: EmbeddedDatabase | null = null;
  afterAll(async () => db?.stop());

  it('is FerretDB on PostgreSQL, and its equality queries use an index', async () => {
    db = await startEmbeddedDatabase({ root, dataDir: freshDir(), durable: false });
    expect(db.engine).toBe('ferretdb');
    expect(db.description).toMatch(/^FerretDB v1\.\d+\.\d+ on PostgreSQL \d+/);
    const client = new MongoClient(db.uri);
    try {
      const c = client.db('plans').collection('models');
      await c.createIndex({ ownerId: 1, updatedAt: -1 });
      await c.insertMany(Array.from({ length: 3000 }, (_, i) => ({ ownerId: `owner${i % 300}`, updatedAt: new Date(i) })));
      const before = await c.find({ ownerId: 'owner7' }).explain();
      expect(JSON.stringify(before.queryPlanner)).not.toContain('Index Scan');
      await db.optimizeIndexes();
      await db.optimizeIndexes(); // idempotent
      await client.db('plans').command({ analyze: 'models' }).catch(() => undefined);
      const after = await c.find({ ownerId: 'owner7' }).explain();
      expect(JSON.stringify(after.queryPlanner)).toContain('Bitmap Index Scan');
      expect(await c.find({ ownerId: 'owner7' }).toArray()).toHaveLength(10);
    } finally {
      await client.close();
    }
  });

  it('stops the servers a crashed start left running, keeps the data, and never doubles them', async () => {
    const dataDir = freshDir();
    const first = await startInChild(dataDir, 'crash');
    const client = new MongoClient(first.uri);
    await client.db('keep').collection('things').insertOne({ _id: 'survivor' as never });
    await client.close();
    const leftovers = serversFor(dataDir);
    expect(leftovers.length).toBeGreaterThanOrEqual(2); // ferretdb + postmaster outlived their parent

    const second = await startEmbeddedDatabase({ root, dataDir, durable: false });
    try {
      for (const pid of leftovers) expect(isAlive(pid)).toBe(false);
      expect(serversFor(dataDir).filter((pid) => /ferretdb/.test(commandLine(pid)))).toHaveLength(1);
      const again = new MongoClient(second.uri);
      expect(await again.db('keep').collection('things').findOne({ _id: 'survivor' as never })).not.toBeNull();
      await again.close();
    } finally {
      await second.stop();
    }
    expect(serversFor(dataDir)).toEqual([]);
  });

  it('refuses a data folder another live process is serving', async () => {
    const dataDir = freshDir();
    const live = await startInChild(dataDir, 'stay');
    try {
      await expect(startEmbeddedDatabase({ root, dataDir, durable: false })).rejects.toMatchObject({ code: 'DB_IN_USE' });
      const client = new MongoClient(live.uri);
      await client.db('admin').command({ ping: 1 }); // the live one was left alone
      await client.close();
    } finally {
      await live.kill();
      await startEmbeddedDatabase({ root, dataDir, durable: false }).then((d) => d.stop()); // cleans up its leftovers
    }
  });
});
