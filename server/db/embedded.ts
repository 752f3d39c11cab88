import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import path from 'node:path';

/** A MongoDB-wire server this process started and owns. */
export interface EmbeddedDatabase {
  uri: string;
  engine: 'mongod' | 'ferretdb';
  stop(): Promise<void>;
}

export class DatabaseStartError extends Error {
  readonly code = 'DB_START_FAILED';
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

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new DatabaseStartError(`the database exited during start-up (code ${child.exitCode}):\n${output()}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DatabaseStartError(`the database did not accept connections within ${timeoutMs} ms:\n${output()}`);
}

/**
 * Starts mongod when it is on PATH, otherwise FerretDB (SQLite backend) from the project's tools folder.
 * Data lives under `dataDir`, so a restart keeps everything.
 */
export async function startEmbeddedDatabase(opts: { root: string; dataDir: string; port?: number }): Promise<EmbeddedDatabase> {
  const port = opts.port ?? (await freePort());
  mkdirSync(opts.dataDir, { recursive: true });
  let engine: EmbeddedDatabase['engine'];
  let child: ChildProcess;
  if (onPath('mongod')) {
    engine = 'mongod';
    const dbPath = path.join(opts.dataDir, 'mongod');
    mkdirSync(dbPath, { recursive: true });
    child = spawn('mongod', ['--dbpath', dbPath, '--bind_ip', '127.0.0.1', '--port', String(port), '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } else {
    engine = 'ferretdb';
    const binary = ferretdbBinary(opts.root);
    if (!existsSync(binary)) {
      throw new DatabaseStartError(
        'FerretDB is not built yet. Run `bash scripts/setup.sh start` (npm start does this), or set MONGODB_URI.',
      );
    }
    const dir = path.join(opts.dataDir, 'ferretdb');
    mkdirSync(dir, { recursive: true });
    child = spawn(
      binary,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--telemetry=disable',
        `--state-dir=${dir}`,
        '--log-level=error',
        '--debug-addr=-',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
  }
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await waitForPort(port, child, () => output, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    engine,
    async stop() {
      if (child.exitCode !== null) return;
      // SIGTERM lets both servers flush and close their files.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
