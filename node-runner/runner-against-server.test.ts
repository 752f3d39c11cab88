import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cyx, MIN_STAKE } from '../programs/index';
import { createApiKey } from '../server/auth/api-keys';
import { getLedger } from '../server/ledger/index';
import { signUp } from '../server/auth/users';
import { useTestDatabase } from '../server/testing/test-db';
import { createContext } from '../server/trpc/context';
import { createCaller } from '../server/trpc/root';
import { readConfig, writeConfig } from './config-file';
import { platformClient } from './api-client';
import { systemMetricsSources } from './metrics';
import { runCli } from './run-cli';
import { PlatformServer } from './testing/platform-server';
import { ManualClock } from './testing/manual-clock';

/**
 * The runner's commands, run in-process exactly as the CLI runs them, against the platform's real
 * router over a real socket and database. One clock drives both sides: no test sleeps.
 */
const h100 = { name: 'NVIDIA H100 80GB HBM3', vramBytes: 81559 * 1024 * 1024, driver: '550.54.15', cuda: '12.4' };
const rtx = { name: 'NVIDIA GeForce RTX 4090', vramBytes: 24564 * 1024 * 1024, driver: '550.54.15', cuda: '12.4' };
// What nvidia-smi reports on the test's machine; a test plugs in a second card.
let gpus = [h100];
const inventorySources = { webgpu: async () => [], nvidia: async () => gpus };
// torch as on a CUDA machine: auto picks torch-cuda, as Dawn has no adapter here (webgpu above is empty).
const backendSources = { torchInstalled: () => true, torchCuda: async () => true };
const metricsSources = { ...systemMetricsSources, gpus: async () => [{ index: 0, utilPercent: 42, memUsedBytes: 1024, tempC: 55, powerW: 300 }] };

let db: Db;
let ownerId: string;
let apiKey: string;
const clock = new ManualClock();
let platform: PlatformServer;
const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-runner-it-'));

beforeAll(async () => {
  ({ db } = await useTestDatabase('runner'));
  ownerId = (await signUp(db, { email: 'provider@example.com', username: 'provider', password: 'provider-pass-1' })).id;
  apiKey = (await createApiKey(db, new ObjectId(ownerId), 'rig', null)).key;
  // Registration stakes CYX: the provider gets some the way the faucet gives it.
  await (await getLedger(db)).submit({ kind: 'mint', key: `test-faucet:${ownerId}`, at: clock.now(), by: 'faucet', to: ownerId, amount: cyx(1000), reason: 'faucet' });
  platform = new PlatformServer(db, clock);
  await platform.start();
});

afterAll(async () => {
  await platform.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The owner on the website: a signed-in browser session. */
async function owner() {
  return createCaller(await createContext({ db, headers: new Headers(), sessionUserId: ownerId, now: () => new Date(clock.now()) }));
}

function cli(configName: string) {
  const out: string[] = [];
  const err: string[] = [];
  const config = path.join(dir, configName, 'runner.json');
  const run = (args: string[], signal?: AbortSignal, inventoryRefreshMs?: number) =>
    runCli([...args, '--config', config, '--server', platform.url], {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      clock,
      signal,
      env: {},
      inventorySources,
      backendSources,
      metricsSources,
      inventoryRefreshMs,
    });
  return { run, out, err, config };
}

describe('the node-runner against the platform', () => {
  const rig = cli('rig');
  let machineId = '';

  it('logs in with an API key, keeping it in a file only its user can read', async () => {
    expect(await rig.run(['login', '--api-key', 'cyx_' + 'A'.repeat(43)])).toBe(1);
    expect(rig.err.at(-1)).toMatch(/API key is not valid/);

    expect(await rig.run(['login', '--api-key', apiKey])).toBe(0);
    expect(rig.out.join('\n')).toContain('as provider@example.com');
    expect(rig.out.join('\n')).toContain(rig.config);
    expect(statSync(rig.config).mode & 0o777).toBe(0o600);
    expect(readConfig(rig.config)).toEqual({ server: platform.url, apiKey });
  });

  it('registers the machine with its inventory and keeps the machine credential, not usable as a person', async () => {
    expect(await rig.run(['register', '--name', 'rig', '--price', '0.5', '--units', '0,7'])).toBe(2);
    expect(rig.err.at(-1)).toMatch(/--units takes unit numbers from 0 to 1/);

    expect(await rig.run(['register', '--name', 'rig', '--price', '0.5'])).toBe(0);
    const saved = readConfig(rig.config)!;
    expect(saved.machine?.credential).toMatch(/^cyxm_[A-Za-z0-9_-]{43}$/);
    machineId = saved.machine!.id;
    expect(rig.out.join('\n')).toMatch(/unit 0 {2}gpu {2}NVIDIA H100 80GB HBM3 {2}79\.6 GiB {2}active/);

    const [machine] = (await (await owner()).machines.list()).machines;
    expect(machine).toMatchObject({ id: machineId, name: 'rig', pricePerHourMicro: '500000', stakeMicro: MIN_STAKE.toString(), status: 'offline' });
    expect(machine!.units.map((u) => [u.kind, u.status])).toEqual([['gpu', 'active'], ['cpu', 'active']]);
    expect(rig.out.join('\n')).toContain('Backend: torch-cuda (PyTorch on NVIDIA H100 80GB HBM3');
    expect((await (await owner()).machines.get({ id: machineId })).inventory.backend).toBe('torch-cuda');
    // My machines shows it on the card.
    expect((await (await owner()).machines.list()).machines.find((m) => m.id === machineId)).toMatchObject({ backend: 'torch-cuda' });

    // The credential is only the machine's: user procedures refuse it.
    await expect(platformClient(platform.url, saved.machine!.credential).machines.list.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    expect(await rig.run(['register', '--name', 'again', '--price', '1'])).toBe(1);
    expect(rig.err.at(-1)).toMatch(/already registered as "rig"/);
  });

  it('refuses a forced backend this machine lacks, saying what is missing, before any heartbeat', async () => {
    expect(await rig.run(['start', '--backend', 'dawn'])).toBe(1);
    expect(rig.err.at(-1)).toMatch(/--backend dawn is not available here\. Dawn found no WebGPU adapter: install libvulkan1/);
    expect(await rig.run(['start', '--backend', 'gpu'])).toBe(2);
    expect(rig.err.at(-1)).toContain('--backend takes one of dawn, torch-cuda, torch-cpu, auto, got "gpu"');
    expect((await (await owner()).machines.get({ id: machineId })).status).toBe('offline');
  });

  it('remembers --backend in its config: a later start without it trains on the same backend', async () => {
    const stopped = AbortSignal.abort();
    expect(await rig.run(['start', '--backend', 'torch-cpu'], stopped)).toBe(0);
    expect(rig.out).toContain('Backend: torch-cpu (forced; PyTorch on the CPU)');
    expect(readConfig(rig.config)?.backend).toBe('torch-cpu');
    rig.out.length = 0;
    expect(await rig.run(['start'], stopped)).toBe(0);
    expect(rig.out).toContain('Backend: torch-cpu (forced; PyTorch on the CPU)');
    expect(await rig.run(['start', '--backend', 'auto'], stopped)).toBe(0);
    expect(readConfig(rig.config)?.backend).toBe('auto');
  });

  it('heartbeats: online on the website, offline at once after a clean stop, the owner’s pause seen by the runner', async () => {
    const stop = new AbortController();
    const running = rig.run(['start'], stop.signal);
    expect(await clock.nextSleep()).toBe(10_000);
    const [machine] = (await (await owner()).machines.list()).machines;
    expect(machine).toMatchObject({ status: 'online', lastSeenAt: new Date(clock.now()).toISOString() });
    expect(machine!.metrics?.gpus[0]).toMatchObject({ utilPercent: 42 });
    expect(rig.out.join('\n')).toContain('the platform sees this machine as online');

    const gpuUnit = machine!.units[0]!.id;
    await (await owner()).machines.setUnitStatus({ unitId: gpuUnit, status: 'paused' });
    clock.advance(10_000);
    expect(await clock.nextSleep()).toBe(10_000);
    expect(rig.out).toContain(`Unit ${gpuUnit} is now paused (changed on the website).`);

    stop.abort();
    expect(await running).toBe(0);
    expect(rig.out.at(-1)).toBe('Stopped.');
    // A clean stop signs off (runner.signOff): offline at once, not only once silent past the window.
    expect((await (await owner()).machines.get({ id: machineId })).status).toBe('offline');
    clock.advance(15_001);
    expect((await (await owner()).machines.get({ id: machineId })).status).toBe('offline');
    expect(await rig.run(['status'])).toBe(0);
    expect(rig.out.join('\n')).toMatch(/Machine: rig \(\w+\) is offline/);
  });

  it('survives a platform restart: backs off 1, 2, 4 s while it is down, then beats every 10 s again', async () => {
    const stop = new AbortController();
    const running = rig.run(['start'], stop.signal);
    expect(await clock.nextSleep()).toBe(10_000);
    await platform.stop();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(waits.at(-1) ?? 10_000);
      waits.push(await clock.nextSleep());
    }
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(rig.out.at(-1)).toMatch(/Platform unreachable .*retry 3 in 4 s/);
    await platform.start();
    clock.advance(4_000);
    expect(await clock.nextSleep()).toBe(10_000);
    expect(rig.out.at(-1)).toBe('Platform reachable again after 3 failed attempts.');
    expect((await (await owner()).machines.get({ id: machineId })).status).toBe('online');
    stop.abort();
    expect(await running).toBe(0);
  });

  it('sends its inventory again when the hardware changed: a new GPU appears as a paused unit, the owner\'s pause kept', async () => {
    const stop = new AbortController();
    clock.advance(2_000); // past the last test's beat: the platform spaces a machine's beats 2 s apart
    const running = rig.run(['start'], stop.signal, 30_000);
    try {
      expect(await clock.nextSleep()).toBe(10_000);
      gpus = [h100, rtx];
      for (let i = 0; i < 3; i++) {
        clock.advance(10_000);
        expect(await clock.nextSleep()).toBe(10_000);
      }
      expect(rig.out.at(-1)).toBe('Hardware changed: sent the new inventory.');
      const units = (await (await owner()).machines.get({ id: machineId })).units;
      expect(units.map((u) => [u.kind, u.device])).toEqual([['gpu', h100.name], ['gpu', rtx.name], ['cpu', expect.any(String)]]);
      // Paused on the website before: still paused. New: paused until the owner offers it.
      expect(units.slice(0, 2).map((u) => u.status)).toEqual(['paused', 'paused']);
    } finally {
      stop.abort();
    }
    expect(await running).toBe(0);
  });

  it('waits a beat when the platform says heartbeats come too fast, and goes on', async () => {
    vi.stubEnv('CYXWIZ_HEARTBEAT_MIN_INTERVAL_MS', '15000');
    const stop = new AbortController();
    clock.advance(15_000);
    const before = rig.out.length;
    const running = rig.run(['start'], stop.signal);
    try {
      expect(await clock.nextSleep()).toBe(10_000);
      clock.advance(10_000);
      expect(await clock.nextSleep()).toBe(10_000);
      expect(rig.out.at(-1)).toBe('Heartbeats too fast for the platform; next in 10 s.');
      clock.advance(10_000);
      expect(await clock.nextSleep()).toBe(10_000);
      expect(rig.out.slice(before).filter((l) => /too fast/.test(l))).toHaveLength(1);
      expect((await (await owner()).machines.get({ id: machineId })).lastSeenAt).toBe(new Date(clock.now()).toISOString());
    } finally {
      stop.abort();
      vi.unstubAllEnvs();
    }
    expect(await running).toBe(0);
  });

  it('stops with the platform\'s reason when its heartbeats name another machine (403)', async () => {
    const saved = readConfig(rig.config)!;
    const other = cli('other');
    writeConfig(other.config, { ...saved, machine: { ...saved.machine!, id: new ObjectId().toHexString() } });
    expect(await other.run(['start'])).toBe(1);
    expect(other.err.at(-1)).toMatch(/another machine.*NOT_THIS_MACHINE/);
  });

  it('is told why and exits 3 when the owner removes the machine, forgetting the credential', async () => {
    const stop = new AbortController();
    const running = rig.run(['start'], stop.signal);
    expect(await clock.nextSleep()).toBe(10_000);
    await (await owner()).machines.remove({ id: machineId });
    clock.advance(10_000);
    expect(await running).toBe(3);
    expect(rig.err.at(-1)).toMatch(/removed by its owner.*MACHINE_CREDENTIAL_REVOKED/);
    expect(readConfig(rig.config)?.machine).toBeUndefined();
    expect(readConfig(rig.config)?.apiKey).toBe(apiKey);
  });

  it('refuses to register without CYX for the stake, storing nothing', async () => {
    const brokeId = (await signUp(db, { email: 'broke@example.com', username: 'broke', password: 'broke-pass-12' })).id;
    const brokeKey = (await createApiKey(db, new ObjectId(brokeId), 'rig', null)).key;
    const broke = cli('broke');
    expect(await broke.run(['login', '--api-key', brokeKey])).toBe(0);
    expect(await broke.run(['register', '--name', 'nope', '--price', '1'])).toBe(1);
    expect(broke.err.at(-1)).toMatch(/stakes 100 CYX; your balance is 0 CYX.*INSUFFICIENT_FUNDS/);
    expect(readConfig(broke.config)?.machine).toBeUndefined();
    expect(await db.collection('machines').countDocuments({ ownerId: new ObjectId(brokeId) })).toBe(0);
  });

  it('unregisters itself: the credential stops working', async () => {
    const laptop = cli('laptop');
    expect(await laptop.run(['login', '--api-key', apiKey])).toBe(0);
    expect(await laptop.run(['register', '--name', 'laptop', '--price', '0', '--units', '1'])).toBe(0);
    const credential = readConfig(laptop.config)!.machine!.credential;
    expect(await laptop.run(['unregister'])).toBe(0);
    expect(readConfig(laptop.config)?.machine).toBeUndefined();
    await expect(platformClient(platform.url, credential).runner.me.query()).rejects.toMatchObject({ data: { appCode: 'MACHINE_CREDENTIAL_REVOKED' } });
    expect(await laptop.run(['unregister'])).toBe(1);
  });

  it('logs in by device code: the person approves the printed code on the website', async () => {
    const desk = cli('desk');
    const loggingIn = desk.run(['login', '--device']);
    expect(await clock.nextSleep()).toBe(2_000);
    const url = desk.out.join('\n').match(/open (\S+)/)?.[1];
    const code = new URL(url!).searchParams.get('code')!;
    expect(desk.out.join('\n')).toContain(`shows the code ${code}`);
    clock.advance(2_000);
    expect(await clock.nextSleep()).toBe(2_000); // still pending
    await (await owner()).machines.deviceApprove({ userCode: code });
    clock.advance(2_000);
    expect(await loggingIn).toBe(0);
    expect(desk.out.join('\n')).toContain('as provider@example.com');
    const key = readConfig(desk.config)!.apiKey!;
    expect((await platformClient(platform.url, key).runner.whoami.query()).apiKey.name).toBe('node-runner (device login)');
  });
});
