import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandRunner } from './torch-install';
import { ensureTorchFor } from './torch-install';
import { TORCH_PINS } from './torch-process';

/**
 * Installing PyTorch for a torch backend, with the commands played by a stand-in for the
 * processes (python3 -m venv, pip) so no 5 GB download happens in a test.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-torch-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function setup(name: string, runCommand: CommandRunner) {
  const venv = path.join(dir, name);
  const out: string[] = [];
  const ctx = {
    io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l) },
    env: {},
    backendSources: { torchInstalled: () => existsSync(path.join(venv, 'bin', 'python')), torchCuda: async () => false },
    runCommand,
    torchPython: path.join(venv, 'bin', 'python'),
  };
  return { venv, out, ctx };
}

describe('ensureTorchFor', () => {
  it('does nothing for dawn or auto, or when torch is there', async () => {
    const calls: string[] = [];
    const { ctx } = setup('none', async (c) => (calls.push(c), { code: 0 }));
    await ensureTorchFor('dawn', ctx);
    await ensureTorchFor('auto', ctx);
    await ensureTorchFor('torch-cpu', { ...ctx, backendSources: { ...ctx.backendSources, torchInstalled: () => true } });
    expect(calls).toEqual([]);
  });

  it('makes the venv and pip-installs the pinned torch with progress lines, leaving setup.sh’s stamp', async () => {
    const calls: string[][] = [];
    const { venv, out, ctx } = setup('ok', async (command, args, onLine) => {
      calls.push([command, ...args]);
      if (args[0] === '-m') {
        mkdirSync(path.join(venv, 'bin'), { recursive: true });
        writeFileSync(path.join(venv, 'bin', 'python'), '');
      } else {
        onLine('Collecting torch==2.15.0');
        onLine('  some noise');
        onLine('Successfully installed torch-2.15.0');
      }
      return { code: 0 };
    });
    await ensureTorchFor('torch-cpu', ctx);
    expect(calls).toEqual([['python3', '-m', 'venv', venv], [path.join(venv, 'bin', 'pip'), 'install', '--disable-pip-version-check', '--progress-bar', 'off', ...TORCH_PINS.split(' ')]]);
    expect(out[0]).toContain(`installing ${TORCH_PINS} into ${venv}`);
    expect(out).toContain('  Collecting torch==2.15.0');
    expect(out).not.toContain('  some noise');
    expect(out.at(-1)).toBe(`PyTorch installed in ${venv}.`);
    expect(readFileSync(path.join(venv, '.cyxwiz-stamp'), 'utf8').trim()).toBe(TORCH_PINS);
  });

  it('says what to do without python3, without python3-venv, and without PyPI (leaving no half venv)', async () => {
    const noPython = setup('no-python', async () => ({ code: null, error: Object.assign(new Error('spawn python3 ENOENT'), { code: 'ENOENT' }) }));
    await expect(ensureTorchFor('torch-cuda', noPython.ctx)).rejects.toMatchObject({ code: 'TORCH_INSTALL_FAILED', message: expect.stringContaining('install python3 and python3-venv') });

    const noVenv = setup('no-venv', async () => ({ code: 1 }));
    await expect(ensureTorchFor('torch-cpu', noVenv.ctx)).rejects.toMatchObject({ message: expect.stringContaining('install python3-venv') });

    const offline = setup('offline', async (_c, args) => {
      if (args[0] === '-m') mkdirSync(offline.venv, { recursive: true });
      return { code: args[0] === '-m' ? 0 : 1 };
    });
    await expect(ensureTorchFor('torch-cpu', offline.ctx)).rejects.toMatchObject({ message: expect.stringMatching(/https:\/\/pypi\.org is reachable.*pip install torch==2\.15\.0/) });
    expect(existsSync(offline.venv)).toBe(false);

    const pointed = setup('pointed', async () => ({ code: 0 }));
    await expect(ensureTorchFor('torch-cpu', { ...pointed.ctx, env: { CYXWIZ_TORCH_PYTHON: pointed.ctx.torchPython } })).rejects.toMatchObject({ message: expect.stringContaining('CYXWIZ_TORCH_PYTHON points at') });
  });
});
