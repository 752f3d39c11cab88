import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendFlag } from '../backend-choice';
import type { CliContext } from '../cli-context';
import { RunnerError } from '../runner-error';
import { defaultTorchPython, TORCH_PINS } from './torch-process';

/** Runs a command, streaming its output lines; answers its exit code, or the spawn error (e.g. ENOENT). */
export type CommandRunner = (command: string, args: readonly string[], onLine: (line: string) => void) => Promise<{ code: number | null; error?: NodeJS.ErrnoException }>;

export const systemCommandRunner: CommandRunner = (command, args, onLine) =>
  new Promise((resolve) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    const take = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split(/\r?\n/);
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(line.trim());
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });

/** pip's lines worth showing while a 5 GB install runs: what it fetches and when it is done. */
const PROGRESS_LINE = /^(Collecting|Downloading|Installing collected|Successfully installed|ERROR)/;

/**
 * PyTorch for a torch backend: when `flag` names one and the executor's Python is missing, installs
 * the pinned torch into the venv that Python would live in (the project's .tools/torch, the one
 * scripts/setup.sh fills) with progress lines; where it cannot, says exactly what to do.
 */
export async function ensureTorchFor(flag: BackendFlag, ctx: Pick<CliContext, 'io' | 'env' | 'backendSources'> & { runCommand?: CommandRunner; torchPython?: string }): Promise<void> {
  if (flag !== 'torch-cpu' && flag !== 'torch-cuda') return;
  if (ctx.backendSources.torchInstalled()) return;
  const python = ctx.torchPython ?? defaultTorchPython();
  if (ctx.env['CYXWIZ_TORCH_PYTHON']) {
    throw new RunnerError('TORCH_INSTALL_FAILED', `CYXWIZ_TORCH_PYTHON points at ${python}, which does not exist. Fix or unset it (the runner then installs PyTorch into its own venv).`);
  }
  const venv = path.dirname(path.dirname(python));
  const run = ctx.runCommand ?? systemCommandRunner;
  const byHand = `python3 -m venv ${venv} && ${venv}/bin/pip install ${TORCH_PINS}`;
  ctx.io.out(`--backend ${flag} needs PyTorch, which is not installed: installing ${TORCH_PINS} into ${venv} (once; about 5 GB, a few minutes)…`);
  const venvResult = await run('python3', ['-m', 'venv', venv], (line) => ctx.io.out(`  ${line}`));
  if (venvResult.error?.code === 'ENOENT') {
    throw new RunnerError('TORCH_INSTALL_FAILED', 'PyTorch needs Python 3.9 or newer and there is no python3 here: install python3 and python3-venv (e.g. sudo apt-get install python3-venv), then start again; or use --backend dawn.');
  }
  if (venvResult.code !== 0) {
    rmSync(venv, { recursive: true, force: true });
    throw new RunnerError('TORCH_INSTALL_FAILED', `python3 could not make a virtual environment in ${venv}: install python3-venv (e.g. sudo apt-get install python3-venv), then start again; or use --backend dawn.`);
  }
  const pip = await run(path.join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...TORCH_PINS.split(' ')], (line) => {
    if (PROGRESS_LINE.test(line)) ctx.io.out(`  ${line}`);
  });
  if (pip.code !== 0) {
    rmSync(venv, { recursive: true, force: true });
    throw new RunnerError('TORCH_INSTALL_FAILED', `pip could not install PyTorch (exit ${pip.code ?? pip.error?.code ?? 'unknown'}). Check that https://pypi.org is reachable from this machine and that 6 GB of disk are free, then start again; or install it by hand: ${byHand}`);
  }
  // The same stamp scripts/setup.sh keeps, so it does not reinstall what is already here.
  writeFileSync(path.join(venv, '.cyxwiz-stamp'), `${TORCH_PINS}\n`);
  ctx.io.out(`PyTorch installed in ${venv}.`);
}
