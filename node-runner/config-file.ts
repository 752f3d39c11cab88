import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BACKEND_FLAGS, type BackendFlag } from './backend-choice';
import { RunnerError } from './runner-error';

/** What the runner remembers between commands. The file holds secrets, so only its user may read it. */
export interface RunnerConfig {
  server: string;
  /** The person's API key: used only to register a machine. */
  apiKey?: string;
  /** This machine once registered: its id and credential (the only secret `start` needs). */
  machine?: { id: string; name: string; credential: string };
  /** The last --backend given to register or start: what `start` trains on when none is given. */
  backend?: BackendFlag;
}

export const CONFIG_FILE_MODE = 0o600;

/** $XDG_CONFIG_HOME/cyxwiz/runner.json, else ~/.config/cyxwiz/runner.json. */
export function defaultConfigPath(env: Record<string, string | undefined> = process.env, home: string = os.homedir()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'cyxwiz', 'runner.json');
}

/** The saved config, or null when there is none yet; a damaged file is an error, not silently reset. */
export function readConfig(file: string): RunnerConfig | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RunnerError('CONFIG_UNREADABLE', `${file} is not valid JSON. Fix it or delete it and log in again.`);
  }
  if (!isConfig(parsed)) throw new RunnerError('CONFIG_UNREADABLE', `${file} is not a runner config (it needs at least "server"). Fix it or delete it and log in again.`);
  return parsed;
}

function isConfig(value: unknown): value is RunnerConfig {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (typeof v.server !== 'string') return false;
  if (v.apiKey !== undefined && typeof v.apiKey !== 'string') return false;
  if (v.backend !== undefined && !BACKEND_FLAGS.includes(v.backend as BackendFlag)) return false;
  if (v.machine !== undefined) {
    const m = v.machine as Record<string, unknown> | null;
    if (!m || typeof m.id !== 'string' || typeof m.name !== 'string' || typeof m.credential !== 'string') return false;
  }
  return true;
}

/**
 * Writes the config readable only by its user: a temporary file created 0600 and renamed over the
 * old one, so a crash never leaves half a file and the secret is never briefly world-readable.
 */
export function writeConfig(file: string, config: RunnerConfig): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: CONFIG_FILE_MODE });
  // The mode given to writeFileSync is masked by the umask and ignored for an existing file.
  chmodSync(temp, CONFIG_FILE_MODE);
  renameSync(temp, file);
}
