import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfigPath, readConfig, writeConfig } from './config-file';
import { RunnerError } from './runner-error';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-runner-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runner config file', () => {
  it('lives under XDG_CONFIG_HOME when set (absolute), else ~/.config', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/p')).toBe(path.join('/x/cfg', 'cyxwiz', 'runner.json'));
    expect(defaultConfigPath({}, '/home/p')).toBe(path.join('/home/p', '.config', 'cyxwiz', 'runner.json'));
    expect(defaultConfigPath({ XDG_CONFIG_HOME: 'relative' }, '/home/p')).toBe(path.join('/home/p', '.config', 'cyxwiz', 'runner.json'));
  });

  it('is written readable only by its user (0600), also over a file that was wider open, and reads back', () => {
    const file = path.join(dir, 'nested', 'runner.json');
    writeConfig(file, { server: 'http://localhost:3000', apiKey: 'cyx_secret' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o077).toBe(0);

    writeFileSync(file, '{"server":"x"}', { mode: 0o644 });
    const machine = { id: 'm1', name: 'rig', credential: 'cyxm_secret' };
    writeConfig(file, { server: 'http://localhost:3000', machine });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readConfig(file)).toEqual({ server: 'http://localhost:3000', machine });
  });

  it('answers null when there is no file, and refuses a damaged one with a clear code', () => {
    expect(readConfig(path.join(dir, 'missing.json'))).toBeNull();
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{"server": ');
    expect(() => readConfig(broken)).toThrow(RunnerError);
    writeFileSync(broken, '{"machine": {"id": 1}}');
    expect(() => readConfig(broken)).toThrowError(/not a runner config/);
    expect(readFileSync(broken, 'utf8')).toContain('machine');
  });
});
