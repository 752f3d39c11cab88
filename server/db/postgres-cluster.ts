import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseStartError } from './start-error';
import { isAlive, stopProcess, waitFor } from './processes';

/**
 * A private PostgreSQL cluster under the app's data folder, for FerretDB to store into. It listens on
 * a Unix socket only (no TCP port to collide with or to expose), in a folder only its user can enter,
 * and it runs as an unprivileged user: PostgreSQL refuses to run as root.
 */
export interface PostgresCluster {
  /** The folder holding the socket; FerretDB connects with `host=<socketDir>`. */
  socketDir: string;
  user: string;
  database: string;
  /** Runs one SQL script through psql and returns its unaligned output. */
  sql(script: string): Promise<string>;
  stop(): Promise<void>;
}

const SUPERUSER = 'cyxwiz';
const DATABASE = 'ferretdb';
// Unix socket paths are limited to 107 bytes; the socket file adds "/.s.PGSQL.5432".
const MAX_SOCKET_DIR = 90;

/** The newest installed PostgreSQL's bin folder (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.CYXWIZ_PG_BIN;
  if (fromEnv && existsSync(path.join(fromEnv, 'postgres'))) return fromEnv;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) {
      const bin = path.join(debian, major, 'bin');
      if (existsSync(path.join(bin, 'postgres'))) return bin;
    }
  }
  const found = spawnSync('sh', ['-c', 'command -v postgres'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? path.dirname(found.stdout.trim()) : null;
}

interface RunAs {
  name: string;
  uid?: number;
  gid?: number;
}

/** Root hands the cluster to Debian's `postgres` user; anyone else runs it as themselves. */
function runAsUser(): RunAs {
  if (process.getuid?.() !== 0) return { name: os.userInfo().username };
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new DatabaseStartError('PostgreSQL refuses to run as root, and there is no `postgres` user to run it as. Install Debian\'s `postgresql` package (setup does), or set MONGODB_URI.');
  }
  return { name: 'postgres', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `user` can reach `dir` (every folder above it needs the search bit for them). */
function reachable(dir: string, runAs: RunAs): boolean {
  if (runAs.uid === undefined) return true;
  return spawnSync('runuser', ['-u', runAs.name, '--', 'test', '-x', dir], { stdio: 'ignore' }).status === 0;
}

function ownedDir(dir: string, runAs: RunAs): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) chownSync(dir, runAs.uid, runAs.gid);
}

function spawnOpts(runAs: RunAs) {
  return { uid: runAs.uid, gid: runAs.gid, env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' } };
}

/** The postmaster's pid from its lock file, when one is written there and still alive. */
function runningPostmaster(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/**
 * Creates the cluster on first use, stops a postmaster left running by a crashed start, and starts it.
 * `durable: false` (tests) turns fsync off: a crash may lose the run's data, which tests throw away anyway.
 */
export async function startPostgresCluster(opts: { dataDir: string; durable: boolean; log?: (m: string) => void }): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new DatabaseStartError('PostgreSQL is not installed: the embedded database stores into it. Run `bash scripts/setup.sh start` (npm start does this), install Debian\'s `postgresql`, or set MONGODB_URI.');
  }
  const runAs = runAsUser();
  let clusterDir = path.join(opts.dataDir, 'postgres');
  mkdirSync(opts.dataDir, { recursive: true });
  if (!reachable(opts.dataDir, runAs)) {
    // e.g. a checkout under /root: the postgres user cannot enter it, so the cluster lives beside tmp.
    clusterDir = path.join(os.tmpdir(), `cyxwiz-pg-${createHash('sha256').update(opts.dataDir).digest('hex').slice(0, 12)}`);
    opts.log?.(`the ${runAs.name} user cannot enter ${opts.dataDir}; keeping the PostgreSQL cluster in ${clusterDir}`);
  }
  const pgData = path.join(clusterDir, 'data');
  let socketDir = path.join(clusterDir, 'socket');
  if (socketDir.length > MAX_SOCKET_DIR) {
    socketDir = path.join(os.tmpdir(), `cyxwiz-pgsock-${createHash('sha256').update(clusterDir).digest('hex').slice(0, 12)}`);
  }
  ownedDir(clusterDir, runAs);
  ownedDir(socketDir, runAs);

  const fresh = !existsSync(path.join(pgData, 'PG_VERSION'));
  if (fresh) {
    rmSync(pgData, { recursive: true, force: true });
    const init = spawnSync(path.join(bin, 'initdb'), ['-D', pgData, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-instructions', ...(opts.durable ? [] : ['--no-sync'])], {
      ...spawnOpts(runAs),
      encoding: 'utf8',
    });
    if (init.status !== 0) throw new DatabaseStartError(`initdb failed:\n${(init.stderr || init.stdout).slice(-2000)}`);
  }

  // A postmaster from a run that was killed keeps the files locked: stop it rather than start a second.
  const stale = runningPostmaster(pgData);
  if (stale) {
    opts.log?.(`stopping PostgreSQL left running by an earlier start (pid ${stale})`);
    await stopProcess(stale, 'SIGINT', 15_000);
  }

  const settings = [
    'listen_addresses=', // Unix socket only
    `unix_socket_directories=${socketDir}`,
    'unix_socket_permissions=0700',
    `fsync=${opts.durable ? 'on' : 'off'}`,
    // A crash loses at most the last few hundred milliseconds of commits, never consistency.
    'synchronous_commit=off',
    `full_page_writes=${opts.durable ? 'on' : 'off'}`,
    'max_connections=200',
    'shared_buffers=128MB',
    'log_min_messages=warning',
    'logging_collector=off',
  ];
  // Its own process group, like FerretDB (see OWN_GROUP in embedded.ts): stopped by us, after the app.
  const child: ChildProcess = spawn(path.join(bin, 'postgres'), ['-D', pgData, ...settings.flatMap((s) => ['-c', s])], {
    ...spawnOpts(runAs),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const psql = (script: string, database = DATABASE) =>
    new Promise<string>((resolve, reject) => {
      const p = spawn(path.join(bin, 'psql'), ['-h', socketDir, '-U', SUPERUSER, '-d', database, '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
        ...spawnOpts(runAs),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`psql failed (${code}): ${err.trim()}`))));
      p.stdin.end(script);
    });

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new DatabaseStartError(`PostgreSQL exited during start-up (code ${child.exitCode}):\n${output}`);
        return spawnSync(path.join(bin, 'pg_isready'), ['-q', '-h', socketDir, '-U', SUPERUSER], spawnOpts(runAs)).status === 0;
      },
      30_000,
      () => new DatabaseStartError(`PostgreSQL did not accept connections within 30 s:\n${output}`),
    );
    const exists = await psql(`SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`, 'postgres');
    if (!exists.trim()) await psql(`CREATE DATABASE ${DATABASE}`, 'postgres');
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    socketDir,
    user: SUPERUSER,
    database: DATABASE,
    sql: (script) => psql(script),
    async stop() {
      if (child.exitCode !== null) return;
      // SIGINT is PostgreSQL's "fast" shutdown: active sessions are rolled back, everything is flushed.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
