/**
 * What bench:heartbeats and bench:scheduler share: the API server process on a throw-away embedded
 * database (heartbeat-bench-server.ts), tRPC calls to it, and the heartbeat load processes
 * (heartbeat-bench-worker.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServer {
  url: string;
  mongoUri: string;
  /** The database engine the server says it started ("FerretDB … on PostgreSQL", "mongod"). */
  engine: string;
  pid: number;
  stop: () => Promise<void>;
  output: () => string;
}

export async function startBenchServer(dataDir: string, port: number): Promise<BenchServer> {
  // BENCH_SERVER_PROF=<dir>: the server writes a V8 CPU profile there when it stops (where a heartbeat's time goes).
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_SERVER_PROF] : []), '--import', 'tsx', 'scripts/lib/heartbeat-bench-server.ts', '--data-dir', dataDir, '--port', String(port)], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const runtime = path.join(dataDir, 'runtime.json');
  const deadline = Date.now() + 180_000;
  while (!existsSync(runtime)) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const info = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string; mongoUri: string };
  const engine = /database: (?:embedded )?(.+?)(?: at |\n)/.exec(output)?.[1] ?? 'unknown';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { ...info, engine, stop, pid: child.pid!, output: () => output };
}

/** One tRPC mutation over HTTP with a bearer token; throws with the server's message when refused. */
export async function postTrpc<T>(url: string, procedure: string, token: string, input: unknown): Promise<T> {
  const res = await fetch(`${url}/api/trpc/${procedure}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !body.result) throw new Error(`${procedure} answered ${res.status}: ${body.error?.message ?? 'no result'}`);
  return body.result.data;
}

export interface HeartbeatWorkerJob {
  url: string;
  credentials: string[];
  intervalMs: number;
  seconds: number;
  startAt: number;
  phaseMs: number;
}

export interface HeartbeatWorkerResult {
  latenciesMs: number[];
  /** When each of latenciesMs was sent (epoch ms), so a bench can keep those of one phase. */
  sentAtMs: number[];
  warmupMs: number[];
  slowAtS: number[];
  statuses: Record<string, number>;
}

/**
 * One heartbeat load process (heartbeat-bench-worker.ts): `result` is what it measured once its
 * seconds are over, or once `stop()` asked it to answer early (SIGTERM: beats in flight are dropped).
 */
export function startHeartbeatWorker(job: HeartbeatWorkerJob): { result: Promise<HeartbeatWorkerResult>; stop: () => void; pid: number } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/lib/heartbeat-bench-worker.ts'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(JSON.stringify(job));
  const result = new Promise<HeartbeatWorkerResult>((resolve, reject) => {
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as HeartbeatWorkerResult) : reject(new Error(`a load process exited with ${code}`))));
  });
  return { result, stop: () => void child.kill('SIGTERM'), pid: child.pid ?? -1 };
}

export function runHeartbeatWorker(job: HeartbeatWorkerJob): Promise<HeartbeatWorkerResult> {
  return startHeartbeatWorker(job).result;
}
