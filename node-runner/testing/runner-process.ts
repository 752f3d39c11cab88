import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../config-file';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunnerProcessOptions {
  /** The runner's config file (CYXWIZ_RUNNER_CONFIG), one per machine. */
  configPath: string;
  server: string;
  /** Extra environment (e.g. CYXWIZ_API_KEY for login). */
  env?: Record<string, string>;
  /** Prefix for the lines echoed to the test's stderr when CYXWIZ_TEST_RUNNER_LOG is set. */
  label?: string;
}

/**
 * A real `cyxwiz-runner` process, as a provider runs it: `node --import tsx node-runner/cli.ts
 * <args> --server <url>` (what scripts/lib/demo-runner.ts spawns for npm start), with its output
 * kept line by line so a test can wait for what the runner says and signal it at the right moment.
 */
export class RunnerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(args: readonly string[], private readonly options: RunnerProcessOptions) {
    mkdirSync(path.dirname(options.configPath), { recursive: true });
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'node-runner', 'cli.ts'), ...args, '--server', options.server], {
      cwd: ROOT,
      env: { ...process.env, CYXWIZ_RUNNER_CONFIG: options.configPath, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const echo = process.env.CYXWIZ_TEST_RUNNER_LOG ? (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 23)} [${options.label ?? 'runner'}] ${line}\n`) : () => undefined;
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        echo(line);
        for (const listener of this.listeners) listener();
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => {
      for (const listener of this.listeners) listener();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * The first line (from `from` on) matching `pattern`. Rejects, quoting the runner's output, if the
   * process exits first or nothing matches within `withinMs` (a guard against a hung test, not a timing check).
   */
  waitFor(pattern: RegExp, { from = 0, withinMs = 60_000 }: { from?: number; withinMs?: number } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const line = this.lines.slice(from).find((l) => pattern.test(l));
        if (line !== undefined) return finish(() => resolve(line));
        if (!this.running) finish(() => reject(new Error(`${this.describe()} exited before saying ${pattern}:\n${this.tail()}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${this.describe()} did not say ${pattern} within ${withinMs} ms:\n${this.tail()}`))), withinMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Ctrl-C, then (if it is still up after `graceMs`) SIGKILL; answers how it ended. */
  async stop(graceMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return this.exited;
    this.kill('SIGINT');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    const end = await this.exited;
    clearTimeout(timer);
    return end;
  }

  tail(lines = 30): string {
    return this.lines.slice(-lines).join('\n');
  }

  private describe(): string {
    return `The runner (${this.options.label ?? 'runner'}, pid ${this.child.pid})`;
  }
}

/** Runs one runner command to its end; throws with its output unless it exits 0. */
export async function runRunnerCommand(args: readonly string[], options: RunnerProcessOptions): Promise<string[]> {
  const runner = new RunnerProcess(args, options);
  const { code, signal } = await runner.exited;
  if (code !== 0) throw new Error(`cyxwiz-runner ${args.join(' ')} ended with ${code ?? signal}:\n${runner.tail()}`);
  return runner.lines;
}

/**
 * A provider's machine set up the way a provider does it: `login` with an API key (CYXWIZ_API_KEY),
 * then `register` (staking from the owner's CYX). Answers the machine as the config now names it.
 */
export async function provisionRunner(options: RunnerProcessOptions & { apiKey: string; name: string; price: string; backend?: string }): Promise<{ machineId: string; credential: string }> {
  const common = { configPath: options.configPath, server: options.server, label: options.label ?? options.name };
  await runRunnerCommand(['login'], { ...common, env: { CYXWIZ_API_KEY: options.apiKey } });
  await runRunnerCommand(['register', '--name', options.name, '--price', options.price, ...(options.backend ? ['--backend', options.backend] : [])], common);
  const machine = readConfig(options.configPath)?.machine;
  if (!machine) throw new Error(`register left no machine in ${options.configPath}`);
  return { machineId: machine.id, credential: machine.credential };
}
