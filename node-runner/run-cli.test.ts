import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from './runner-error';
import { runCli, USAGE } from './run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-run-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, '--config', path.join(dir, 'runner.json')], { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, env: {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the command line', () => {
  it('prints the usage for --help (exit 0) and without a command (exit 2)', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: USAGE });
    expect(await run([])).toMatchObject({ code: EXIT_USAGE, err: USAGE });
  });

  it('refuses unknown commands and options, and bad values, with exit 2 and what was wrong', async () => {
    expect(await run(['fly'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('Unknown command "fly"') });
    expect(await run(['start', '--turbo'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining("Unknown option '--turbo'") });
    expect(await run(['start', '--interval', '0'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('--interval takes seconds from 1 to 3600') });
    expect(await run(['start', '--backend', 'vulkan'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('--backend takes one of dawn, torch-cuda, torch-cpu, auto, got "vulkan"') });
    expect(await run(['status', '--backend', 'dawn'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('--backend is an option of register and start') });
    expect(await run(['login'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('login needs --api-key') });
    expect(await run(['login', '--device', '--api-key', 'cyx_x'])).toMatchObject({ code: EXIT_USAGE, err: expect.stringContaining('either --api-key or --device') });
  });

  it('says what to do first when not logged in or not registered', async () => {
    expect(await run(['register', '--name', 'x', '--price', '1'])).toMatchObject({ code: 1, err: expect.stringContaining('Log in first') });
    expect(await run(['start'])).toMatchObject({ code: 1, err: expect.stringContaining('Register this machine first') });
    expect(await run(['unregister'])).toMatchObject({ code: 1, err: expect.stringContaining('No machine is registered') });
  });

  it('says the platform cannot be reached rather than failing obscurely', async () => {
    const result = await run(['login', '--api-key', 'cyx_' + 'A'.repeat(43), '--server', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('Could not reach http://127.0.0.1:9');
  });
});

describe('the installed command', () => {
  it('runs through the bin shim (TypeScript loaded by tsx) and exits with the status runCli answers', async () => {
    const { execFile } = await import('node:child_process');
    const bin = fileURLToPath(new URL('./bin/cyxwiz-runner.mjs', import.meta.url));
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [bin, ...args], { env: { ...process.env, CYXWIZ_RUNNER_CONFIG: path.join(dir, 'bin.json') } }, (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cyxwiz-runner <command> [options]');
    const status = await run(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Config: ${path.join(dir, 'bin.json')} (none yet)`);
    expect((await run(['fly'])).code).toBe(EXIT_USAGE);
  });
});
