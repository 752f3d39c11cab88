import { parseArgs } from 'node:util';
import { parseBackendFlag } from './backend-choice';
import { systemBackendSources } from './backend-probe';
import { systemClock } from './clock';
import type { CliContext, Io } from './cli-context';
import { defaultConfigPath } from './config-file';
import { login } from './commands/login';
import { register } from './commands/register';
import { start } from './commands/start';
import { status } from './commands/status';
import { unregister } from './commands/unregister';
import { systemInventorySources } from './inventory';
import { systemMetricsSources } from './metrics';
import { EXIT_USAGE, RunnerError } from './runner-error';

export const USAGE = `cyxwiz-runner: offer this machine's GPUs and CPU to CyxWiz.

Usage: cyxwiz-runner <command> [options]
  login --api-key KEY        keep your API key (or set CYXWIZ_API_KEY)
  login --device             approve this runner in the browser instead
  register --name NAME --price CYX [--units 0,1] [--backend B]
                             register this machine (stakes CYX), offering the listed units (default all)
  start [--interval S] [--backend B]
                             heartbeat every S seconds (default 10) and train the jobs the platform
                             leases to this machine, until Ctrl-C (which finishes the epoch's
                             checkpoint and hands the job back)
  status                     this machine as the platform sees it, and the backend auto would choose

  --backend dawn|torch-cuda|torch-cpu|auto
                             where jobs train (default auto: a GPU adapter through Dawn, else PyTorch on
                             CUDA, else PyTorch on the CPU, else Dawn's CPU adapter); remembered in
                             the config for later starts; a torch backend installs PyTorch if missing
  unregister                 remove this machine; its credential stops working

Options for every command:
  --server URL               the platform (default: the config's, else $CYXWIZ_SERVER, else http://localhost:3000)
  --config PATH              the config file (default $XDG_CONFIG_HOME/cyxwiz/runner.json or ~/.config/cyxwiz/runner.json)`;

const OPTIONS = {
  server: { type: 'string' },
  config: { type: 'string' },
  'api-key': { type: 'string' },
  device: { type: 'boolean' },
  name: { type: 'string' },
  price: { type: 'string' },
  units: { type: 'string' },
  interval: { type: 'string' },
  backend: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface RunCliOptions extends Partial<Omit<CliContext, 'configPath' | 'serverFlag'>> {
  io: Io;
}

function intervalMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600) throw new RunnerError('USAGE', `--interval takes seconds from 1 to 3600, got "${text}".`, EXIT_USAGE);
  return Math.round(seconds * 1000);
}

/** Runs one command line; answers the exit status instead of exiting, so tests can run it in-process. */
export async function runCli(argv: readonly string[], options: RunCliOptions): Promise<number> {
  const { io } = options;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    (command || values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : EXIT_USAGE;
  }
  const env = options.env ?? process.env;
  try {
    const ctx: CliContext = {
      io,
      env,
      configPath: values.config ?? env.CYXWIZ_RUNNER_CONFIG ?? defaultConfigPath(env),
      serverFlag: values.server,
      clock: options.clock ?? systemClock,
      signal: options.signal ?? new AbortController().signal,
      inventorySources: options.inventorySources ?? systemInventorySources,
      backendSources: options.backendSources ?? systemBackendSources,
      metricsSources: options.metricsSources ?? systemMetricsSources,
      heartbeatIntervalMs: intervalMs(values.interval) ?? options.heartbeatIntervalMs,
      inventoryRefreshMs: options.inventoryRefreshMs,
    };
    if (positionals.length > 1) throw new RunnerError('USAGE', `Unexpected argument "${positionals[1]}".`, EXIT_USAGE);
    if (values.backend !== undefined && command !== 'register' && command !== 'start') throw new RunnerError('USAGE', '--backend is an option of register and start.', EXIT_USAGE);
    // Undefined when not given: start then uses the backend the config remembers.
    const backend = values.backend === undefined ? undefined : parseBackendFlag(values.backend);
    switch (command) {
      case 'login':
        await login(ctx, { apiKey: values['api-key'], device: values.device });
        break;
      case 'register':
        await register(ctx, { name: values.name, price: values.price, units: values.units, backend });
        break;
      case 'start':
        await start(ctx, { backend });
        break;
      case 'status':
        await status(ctx);
        break;
      case 'unregister':
        await unregister(ctx);
        break;
      default:
        throw new RunnerError('USAGE', `Unknown command "${command}".\n\n${USAGE}`, EXIT_USAGE);
    }
    return 0;
  } catch (error) {
    if (error instanceof RunnerError) {
      io.err(`Error: ${error.message}`);
      return error.exitCode;
    }
    io.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
