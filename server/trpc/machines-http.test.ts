import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cyx } from '../../programs/index';
import { createApiKey } from '../auth/api-keys';
import { signUp } from '../auth/users';
import { getLedger } from '../ledger/index';
import type { Inventory } from '../machines/schema';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { appRouter } from './root';

/** What a runner sees over HTTP: status codes, stable appCodes and field errors. */
let db: Db;
let userId: string;
let apiKey: string;

interface ErrorBody {
  error?: { message: string; data: { appCode: string; httpStatus: number; fieldErrors?: Record<string, string[]> } };
  result?: { data: unknown };
}

async function post(path: string, input: unknown, token?: string, session?: string): Promise<{ status: number; body: ErrorBody }> {
  const headers = new Headers({ 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.7', host: 'localhost:3000' });
  if (token) headers.set('authorization', `Bearer ${token}`);
  const req = new Request(`http://localhost/api/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const res = await fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter, createContext: () => createContext({ db, headers: req.headers, sessionUserId: session ?? null }), onError: () => undefined });
  return { status: res.status, body: (await res.json()) as ErrorBody };
}

const inventory: Inventory = {
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  cpu: { model: 'Test CPU', cores: 2, threads: 4 },
  ramBytes: 2 ** 33,
  webgpu: [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader', isFallback: true, limits: {} }],
  nvidia: [],
};
const metrics = { cpuPercent: 3, ramUsedBytes: 2 ** 30, gpus: [], job: null };

async function register(): Promise<{ machineId: string; credential: string }> {
  const res = await post('machines.register', { name: 'ci box', pricePerHourMicro: '1000000', inventory, offer: { unitIndexes: [0] } }, apiKey);
  expect(res.status).toBe(200);
  return res.body.result!.data as { machineId: string; credential: string };
}

beforeAll(async () => {
  ({ db } = await useTestDatabase('machines_http'));
  userId = (await signUp(db, { email: 'prov@example.com', username: 'prov', password: 'prov-password-1' })).id;
  apiKey = (await createApiKey(db, new ObjectId(userId), 'runner', null)).key;
  await (await getLedger(db)).submit({ kind: 'mint', key: 'machines-http-test', at: Date.now(), by: 'test-admin', to: userId, amount: cyx(10_000), reason: 'test funds' });
});

afterAll(async () => {
  await (await getLedger(db)).close();
});

describe('machines over HTTP', () => {
  it('registers and heartbeats with the machine credential; a second beat too soon is 429 HEARTBEAT_TOO_FAST', async () => {
    const { credential } = await register();
    const beat = await post('runner.heartbeat', { metrics }, credential);
    expect(beat.status).toBe(200);
    expect(beat.body.result?.data).toMatchObject({ status: 'online', inventoryWanted: false });
    const again = await post('runner.heartbeat', { metrics }, credential);
    expect(again.status).toBe(429);
    expect(again.body.error?.data.appCode).toBe('HEARTBEAT_TOO_FAST');
  });

  it('names the field of an absurd inventory', async () => {
    const res = await post('machines.register', { name: 'x', pricePerHourMicro: '1', inventory: { ...inventory, ramBytes: -1 }, offer: { unitIndexes: [] } }, apiKey);
    expect(res.status).toBe(400);
    expect(res.body.error?.data.appCode).toBe('INVALID_INPUT');
    expect(res.body.error?.message).toContain('inventory.ramBytes:');
    expect(Object.keys(res.body.error?.data.fieldErrors ?? {})).toEqual(['inventory']);
  });

  it('answers 401 with a code the runner can act on: unknown, revoked, or not a machine credential', async () => {
    const unknown = await post('runner.heartbeat', { metrics }, `cyxm_${'x'.repeat(43)}`);
    expect([unknown.status, unknown.body.error?.data.appCode]).toEqual([401, 'INVALID_MACHINE_CREDENTIAL']);

    const personKey = await post('runner.heartbeat', { metrics }, apiKey);
    expect([personKey.status, personKey.body.error?.data.appCode]).toEqual([401, 'MACHINE_CREDENTIAL_REQUIRED']);

    const { machineId, credential } = await register();
    const asUser = await post('apiKeys.revoke', { id: 'x' }, credential);
    expect(asUser.status).toBe(401);
    expect((await post('machines.remove', { id: machineId }, undefined, userId)).status).toBe(200);
    const revoked = await post('runner.heartbeat', { metrics }, credential);
    expect([revoked.status, revoked.body.error?.data.appCode]).toEqual([401, 'MACHINE_CREDENTIAL_REVOKED']);
    expect(revoked.body.error?.message).toContain('removed by its owner');
  });

  it('answers 403 NOT_THIS_MACHINE to a heartbeat for another machine', async () => {
    const mine = await register();
    const other = await register();
    const res = await post('runner.heartbeat', { metrics, machineId: other.machineId }, mine.credential);
    expect([res.status, res.body.error?.data.appCode]).toEqual([403, 'NOT_THIS_MACHINE']);
  });

  it('gives the device login a verification URL on the address the runner used', async () => {
    const res = await post('machines.deviceStart', {});
    expect(res.status).toBe(200);
    expect((res.body.result?.data as { verificationUrl: string }).verificationUrl).toMatch(/^http:\/\/localhost:3000\/machines\/connect\?code=[A-Z]{4}-[A-Z]{4}$/);
  });
});
