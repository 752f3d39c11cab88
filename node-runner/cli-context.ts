import type { BackendSources } from './backend-probe';
import type { Clock } from './clock';
import { readConfig, writeConfig, type RunnerConfig } from './config-file';
import type { InventorySources } from './inventory';
import type { MetricsSources } from './metrics';
import type { JobTrainer } from './jobs/job-trainer';
import type { Backend } from './backend-choice';
import type { CommandRunner } from './torch/torch-install';

export const DEFAULT_SERVER = 'http://localhost:3000';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Everything a command needs from outside, so tests run commands in-process with their own clock and sources. */
export interface CliContext {
  io: Io;
  configPath: string;
  /** --server, when given: wins over the config file's. */
  serverFlag?: string;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Aborts on SIGINT/SIGTERM: long-running commands stop cleanly. */
  signal: AbortSignal;
  inventorySources: InventorySources;
  backendSources: BackendSources;
  metricsSources: MetricsSources;
  heartbeatIntervalMs?: number;
  inventoryRefreshMs?: number;
  /** Makes the trainer jobs run on (default: Dawn's device or the torch executor for the backend). */
  jobTrainer?: (backend: Backend) => Promise<JobTrainer>;
  /** Runs the commands that install PyTorch (default: child processes). */
  runCommand?: CommandRunner;
  /** How often a running job reports progress (default 2 s). */
  progressEveryMs?: number;
}

export function loadConfig(ctx: CliContext): RunnerConfig | null {
  return readConfig(ctx.configPath);
}

export function saveConfig(ctx: CliContext, config: RunnerConfig): void {
  writeConfig(ctx.configPath, config);
}

/** --server, else the server the config was made for, else CYXWIZ_SERVER, else localhost:3000. */
export function serverOf(ctx: CliContext, config: RunnerConfig | null): string {
  const server = ctx.serverFlag ?? config?.server ?? ctx.env.CYXWIZ_SERVER ?? DEFAULT_SERVER;
  return server.replace(/\/+$/, '');
}
