import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { saveWeights } from '../../compute/export';
import { buildModelPlan, initParameters } from '../../compute/model';
import { NO_SESSION, type SessionClaims } from '../auth/session-claims';
import { signUp } from '../auth/users';
import { countingStream } from '../testing/counting-stream';
import { useTestDatabase } from '../testing/test-db';
import { createContext } from './context';
import { DEFAULT_BODY_CAP, MAX_BATCH_CALLS } from './http-caps';
import { serveTrpcHttp } from './http-handler';
import { createCaller } from './root';

/** The exact handler app/api/trpc mounts, on the real database; only the cookie is replaced by its claims. */
let db: Db;
let kim: SessionClaims;
let modelId: string;
// 784-384-10: 305,290 float32 parameters, about 1.2 MB of weights (1.6 MB as base64).
const weights = saveWeights(initParameters(buildModelPlan(mlpClassifier(784, [384], 10)), { seed: 3 }));

beforeAll(async () => {
  ({ db } = await useTestDatabase('trpc_http_limits'));
  const user = await signUp(db, { email: 'kim@example.com', username: 'kim', password: 'kim-password-1' });
  kim = { sessionUserId: user.id, sessionVersion: 0 };
  const caller = createCaller(await createContext({ db, headers: new Headers(), ...kim }));
  modelId = (await caller.models.create({ name: 'Big weights' })).id;
});

interface ErrorBody {
  error?: { message: string; data: { appCode: string; httpStatus: number } };
}

async function send(path: string, init: RequestInit & { duplex?: 'half' }, session: SessionClaims = NO_SESSION) {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/json');
  headers.set('x-forwarded-for', '10.6.0.1');
  const req = new Request(`http://localhost/api/trpc/${path}`, { ...init, headers } as RequestInit);
  const res = await serveTrpcHttp(req, { db, readSession: async () => session });
  return { status: res.status, body: (await res.json()) as unknown };
}

function runInput(clientRunId: string) {
  return {
    modelId,
    clientRunId,
    name: 'Wide MLP',
    config: { epochs: 1 },
    dataset: 'digits.csv',
    device: 'swiftshader',
    status: 'completed',
    epochs: [{ epoch: 0, step: 10, loss: 0.5, accuracy: 0.8, valLoss: null, valAccuracy: null, timeMs: 100 }],
    batches: [],
    finalAccuracy: 0.8,
    finalLoss: 0.5,
    steps: 10,
    wallTimeMs: 100,
    weightsBase64: Buffer.from(weights).toString('base64'),
  };
}

describe('tRPC body cap', () => {
  it('refuses a chunked 64 MiB sign-up with 413 as soon as it passes 1 MiB, and never parses it', async () => {
    const prefix = JSON.stringify({ email: 'chunked@example.com', username: 'chunky', password: 'long-enough-pass-1' }).slice(0, -1) + ',"pad":"';
    const { stream, stats } = countingStream(64 * 1024 * 1024, { prefix, suffix: '"}' });
    const res = await send('account.signUp', { method: 'POST', body: stream, duplex: 'half' });
    expect(res.status).toBe(413);
    expect((res.body as ErrorBody).error?.data).toMatchObject({ appCode: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect((res.body as ErrorBody).error?.message).toBe('The request is too large (at most 1 MiB).');
    expect(stats.pulled).toBeLessThan(DEFAULT_BODY_CAP + 3 * 64 * 1024);
    expect(stats.cancelled).toBe(true);
    expect(await db.collection('users').countDocuments({ email: 'chunked@example.com' })).toBe(0);
  });

  it('parses a chunked body under the cap like any other', async () => {
    const prefix = JSON.stringify({ email: 'small-chunks@example.com', username: 'smallchunks', password: 'long-enough-pass-1' }).slice(0, -1) + ',"pad":"';
    const { stream } = countingStream(100_000, { chunk: 7_000, prefix, suffix: '"}' });
    const res = await send('account.signUp', { method: 'POST', body: stream, duplex: 'half' });
    expect(res.status).toBe(200);
    expect(await db.collection('users').countDocuments({ email: 'small-chunks@example.com' })).toBe(1);
  });

  it('lets a signed-in 1.2 MB runs.save through, while the same size to account.signUp is 413', async () => {
    const body = JSON.stringify(runInput(`big-${new ObjectId().toHexString()}`));
    expect(body.length).toBeGreaterThan(1.5 * 1024 * 1024);
    const saved = await send('runs.save', { method: 'POST', body }, kim);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ result: { data: { created: true } } });

    const signUpSameSize = await send('account.signUp', { method: 'POST', body });
    expect(signUpSameSize.status).toBe(413);
    const signUpSignedIn = await send('account.signUp', { method: 'POST', body }, kim);
    expect(signUpSignedIn.status).toBe(413);
  });

  it('keeps callers who are not signed in at 1 MiB even on runs.save', async () => {
    const res = await send('runs.save', { method: 'POST', body: JSON.stringify(runInput(`anon-${new ObjectId().toHexString()}`)) });
    expect(res.status).toBe(413);
    expect((res.body as ErrorBody).error?.data.appCode).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives a batch the large cap only when every call in it has one', async () => {
    const big = runInput(`batch-${new ObjectId().toHexString()}`);
    const mixed = await send('runs.save,account.me?batch=1', { method: 'POST', body: JSON.stringify({ 0: big }) }, kim);
    expect(mixed.status).toBe(413);
    const both = await send('runs.save,runs.save?batch=1', { method: 'POST', body: JSON.stringify({ 0: big, 1: big }) }, kim);
    expect(both.status).toBe(200);
    // The same clientRunId twice: one run, the second save is the no-op retry.
    expect((both.body as { result: { data: { created: boolean } } }[]).map((r) => r.result.data.created).sort()).toEqual([false, true]);
  });

  it('refuses a declared Content-Length over every cap before looking at the session', async () => {
    let looked = false;
    const req = new Request('http://localhost/api/trpc/runs.save', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) }, body: '{}' });
    const res = await serveTrpcHttp(req, { db, readSession: async () => ((looked = true), kim) });
    expect(res.status).toBe(413);
    expect(looked).toBe(false);
  });
});

describe('tRPC batch size', () => {
  it(`refuses a batch of ${MAX_BATCH_CALLS + 1} calls with BATCH_TOO_LARGE, and runs none of them`, async () => {
    const n = MAX_BATCH_CALLS + 1;
    const inputs = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { email: `batch${i}@example.com`, username: `batch${i}`, password: 'long-enough-pass-1' }]));
    const res = await send(`${Array(n).fill('account.signUp').join(',')}?batch=1`, { method: 'POST', body: JSON.stringify(inputs) });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error?.data).toMatchObject({ appCode: 'BATCH_TOO_LARGE', httpStatus: 400 });
    expect(await db.collection('users').countDocuments({ email: { $in: Object.values(inputs).map((i) => i.email) } })).toBe(0);
  });

  it(`serves a batch of ${MAX_BATCH_CALLS}`, async () => {
    const res = await send(`${Array(MAX_BATCH_CALLS).fill('health.ping').join(',')}?batch=1`, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(MAX_BATCH_CALLS);
  });

  it('refuses an oversized batch sent as a GET too', async () => {
    const res = await send(`${Array(1000).fill('health.ping').join(',')}?batch=1`, { method: 'GET' });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).error?.data.appCode).toBe('BATCH_TOO_LARGE');
  });
});

describe('sessions through the handler', () => {
  it('treats a session minted at an older version as signed out', async () => {
    const me = await send('account.me', { method: 'GET' }, kim);
    expect(me.status).toBe(200);
    await db.collection('users').updateOne({ _id: new ObjectId(kim.sessionUserId!) }, { $inc: { sessionVersion: 1 } });
    const stale = await send('account.me', { method: 'GET' }, kim);
    expect(stale.status).toBe(401);
    expect((stale.body as ErrorBody).error?.data.appCode).toBe('NOT_SIGNED_IN');
    expect((await send('account.me', { method: 'GET' }, { ...kim, sessionVersion: 1 })).status).toBe(200);
  });
});
