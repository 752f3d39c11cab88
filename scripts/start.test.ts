import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePort } from '../server/db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runStart(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm start', () => {
  it('exits non-zero with a clear message when MONGODB_URI points at a database that is down', async () => {
    const port = await freePort(); // nothing listens here
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-start-'));
    try {
      const { code, output } = await runStart({ MONGODB_URI: `mongodb://app:s3cret@127.0.0.1:${port}/cyxwiz` }, ['--data-dir', dataDir]);
      expect(code).toBe(1);
      expect(output).toContain(`Cannot reach MongoDB at mongodb://app:***@127.0.0.1:${port}/cyxwiz`);
      expect(output).toContain('Check that the server is running and MONGODB_URI is right, or unset MONGODB_URI to use the embedded database.');
      expect(output).not.toContain('s3cret');
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid port before touching anything', async () => {
    const { code, output } = await runStart({}, ['--port', 'eighty']);
    expect(code).toBe(1);
    expect(output).toContain('PORT must be a number from 1 to 65535, got "eighty".');
  });
});
