import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import { createApiKey } from '../../server/auth/api-keys';
import { collections } from '../../server/db/collections';
import { readConfig } from '../../node-runner/config-file';

interface DemoRunnerOptions {
  root: string;
  dataDir: string;
  url: string;
  db: Db;
  email: string;
  log: (message: string) => void;
}

function runnerArgs(root: string, args: string[]): string[] {
  return ['--import', 'tsx', path.join(root, 'node-runner', 'cli.ts'), ...args];
}

/**
 * `npm start -- --with-runner`: a real node-runner process for the demo provider, with its config
 * under the data folder. First run: an API key for the demo user, then the runner's own login and
 * register (the stake comes from the CYX the demo seed grants); every run: `start`, its output
 * prefixed [runner].
 */
export async function startDemoRunner(opts: DemoRunnerOptions): Promise<{ stop(): Promise<void> }> {
  const configPath = path.join(opts.dataDir, 'runner', 'runner.json');
  const env = { ...process.env, CYXWIZ_RUNNER_CONFIG: configPath };
  const relay = (stream: Readable) => createInterface({ input: stream }).on('line', (line) => line && opts.log(`[runner] ${line}`));
  const spawnRunner = (args: string[], extraEnv: Record<string, string> = {}) => {
    // Never spawnSync: the runner talks to the web server in this very process.
    const child = spawn(process.execPath, runnerArgs(opts.root, [...args, '--server', opts.url]), { cwd: opts.root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    relay(child.stdout);
    relay(child.stderr);
    return child;
  };
  const cli = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const child = spawnRunner(args, extraEnv);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the demo runner's "${args[0]}" failed (exit ${code}); see the lines above`);
  };

  const config = existsSync(configPath) ? readConfig(configPath) : null;
  if (!config?.machine) {
    const user = await collections(opts.db).users.findOne({ email: opts.email });
    if (!user) throw new Error(`--with-runner needs the demo user ${opts.email}; start without --no-seed`);
    const { key } = await createApiKey(opts.db, user._id, 'demo runner (npm start --with-runner)', null);
    await cli(['login'], { CYXWIZ_API_KEY: key });
    await cli(['register', '--name', 'demo machine', '--price', '0.1']);
  }

  const child: ChildProcess = spawnRunner(['start']);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code) => opts.log(`[runner] exited (${code ?? 'signal'})`));
  opts.log(`demo runner: config ${configPath}`);
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
