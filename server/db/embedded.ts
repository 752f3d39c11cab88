import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import path from 'node:path';
import { COMPANION_INDEXES_SQL } from './companion-indexes';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { commandLine, isAlive, stopProcess, waitFor } from './processes';
import { DatabaseStartError } from './start-error';

export { DatabaseStartError };

/** A MongoDB-wire server this process started and owns. */
export interface EmbeddedDatabase {
  uri: string;
  engine: 'mongod' | 'ferretdb';
  /** What runs, in words, e.g. "FerretDB v1.24.0 on PostgreSQL 15.18". */
  description: string;
  /**
   * Makes the indexes the app asked for usable by the storage underneath (FerretDB on PostgreSQL
   * filters with jsonb containment, which its own btree indexes cannot serve). Safe to call often.
   */
  optimizeIndexes(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function ferretdbBinary(root: string): string {
  return path.join(root, '.tools', 'bin', 'ferretdb');
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/**
 * Database servers run in a process group of their own: Ctrl-C in a terminal (and a test runner's
 * SIGTERM to the group) reaches every process of the foreground group at once, and a database that
 * stopped with the app would refuse the last writes the app makes while it shuts down. The app stops
 * them itself, last.
 */
const OWN_GROUP = { stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[], detached: true };

/** Who started the database in a data folder: a second start must neither double it nor kill a live one. */
interface OwnerRecord {
  pid: number;
  serverPid: number | null;
}

const ownerFile = (dataDir: string) => path.join(dataDir, 'db-owner.json');

function readOwner(dataDir: string): OwnerRecord | null {
  try {
    return JSON.parse(readFileSync(ownerFile(dataDir), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

/**
 * Refuses when a live process already serves this data folder; stops the wire server a crashed
 * (kill -9) run left behind. PostgreSQL's own leftover is handled by the cluster, which finds its lock file.
 */
async function takeOver(dataDir: string, log: (m: string) => void): Promise<void> {
  const owner = readOwner(dataDir);
  if (!owner) return;
  if (owner.pid !== process.pid && isAlive(owner.pid)) {
    throw new DatabaseStartError(
      `Another process (pid ${owner.pid}) is already running the database in ${dataDir}. Stop it first, or use another --data-dir.`,
      'DB_IN_USE',
    );
  }
  if (owner.serverPid && isAlive(owner.serverPid) && /ferretdb|mongod/.test(commandLine(owner.serverPid))) {
    log(`stopping the database server left running by an earlier start (pid ${owner.serverPid})`);
    await stopProcess(owner.serverPid, 'SIGTERM', 10_000);
  }
  rmSync(ownerFile(dataDir), { force: true });
}

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => output;
}

/**
 * Starts mongod when it is on PATH, otherwise FerretDB on a private PostgreSQL cluster, both under
 * `dataDir`, so a restart keeps everything. `durable: false` is for throw-away test data.
 */
export async function startEmbeddedDatabase(opts: {
  root: string;
  dataDir: string;
  port?: number;
  durable?: boolean;
  /**
   * FerretDB's storage: PostgreSQL (the default), or SQLite (CYXWIZ_DB_BACKEND=sqlite), which needs no
   * PostgreSQL but uses no index at all — kept for machines without it and for benchmark comparisons.
   */
  backend?: 'postgresql' | 'sqlite';
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => undefined);
  const durable = opts.durable ?? true;
  mkdirSync(opts.dataDir, { recursive: true });
  await takeOver(opts.dataDir, log);
  const port = opts.port ?? (await freePort());

  let engine: EmbeddedDatabase['engine'];
  let description: string;
  let child: ChildProcess;
  let cluster: PostgresCluster | null = null;
  if (onPath('mongod')) {
    engine = 'mongod';
    description = 'mongod';
    const dbPath = path.join(opts.dataDir, 'mongod');
    mkdirSync(dbPath, { recursive: true });
    child = spawn('mongod', ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet'], OWN_GROUP);
  } else {
    engine = 'ferretdb';
    const binary = ferretdbBinary(opts.root);
    if (!existsSync(binary)) {
      throw new DatabaseStartError('FerretDB is not built yet. Run `bash scripts/setup.sh start` (npm start does this), or set MONGODB_URI.');
    }
    const ferretVersion = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.match(/version:\s*(\S+)/)?.[1] ?? 'v1';
    const stateDir = path.join(opts.dataDir, 'ferretdb');
    mkdirSync(stateDir, { recursive: true });
    let storage: string[];
    if ((opts.backend ?? process.env.CYXWIZ_DB_BACKEND) === 'sqlite') {
      description = `FerretDB ${ferretVersion} on SQLite`;
      storage = ['--handler=sqlite', `--sqlite-url=file:${stateDir}/`];
    } else {
      cluster = await startPostgresCluster({ dataDir: opts.dataDir, durable, log });
      const pgVersion = (await cluster.sql('SHOW server_version').catch(() => '')).trim().split(' ')[0];
      description = `FerretDB ${ferretVersion} on PostgreSQL ${pgVersion}`;
      storage = ['--handler=postgresql', `--postgresql-url=postgres://${cluster.user}@/${cluster.database}?host=${encodeURIComponent(cluster.socketDir)}`];
    }
    child = spawn(
      binary,
      [
        ...storage,
        `--listen-addr=127.0.0.1:${port}`,
        '--telemetry=disable',
        `--state-dir=${stateDir}`,
        '--log-level=error',
        '--debug-addr=-',
      ],
      OWN_GROUP,
    );
  }
  const output = collectOutput(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new DatabaseStartError(`the database exited during start-up (code ${child.exitCode}):\n${output()}`);
        return portOpen(port);
      },
      30_000,
      () => new DatabaseStartError(`the database did not accept connections within 30 s:\n${output()}`),
    );
  } catch (error) {
    child.kill('SIGKILL');
    await cluster?.stop();
    throw error;
  }
  writeFileSync(ownerFile(opts.dataDir), JSON.stringify({ pid: process.pid, serverPid: child.pid ?? null } satisfies OwnerRecord), { mode: 0o600 });

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    engine,
    description,
    async optimizeIndexes() {
      await cluster?.sql(COMPANION_INDEXES_SQL);
    },
    async stop() {
      if (child.exitCode === null) {
        // SIGTERM lets the wire server finish what it is doing and close its connections.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cluster?.stop();
      if (readOwner(opts.dataDir)?.pid === process.pid) rmSync(ownerFile(opts.dataDir), { force: true });
    },
  };
}
