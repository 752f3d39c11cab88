import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../compute/graph';
import { signUp, type PublicUser } from '../auth/users';
import { collections } from '../db/collections';
import { serveFetch } from '../http/fetch-bridge';
import { insertModel } from '../models/lifecycle';
import { useTestDatabase } from '../testing/test-db';
import { serveTrpcHttp } from '../trpc/http-handler';
import { jobProgressCollection } from './collections';
import { createJob } from './create-job';
import { notifyJobChanged } from './job-change-bus';

/**
 * jobs.watch the way the browser's httpSubscriptionLink reaches it: a GET with the input in the
 * query, through our HTTP bridge and the tRPC endpoint's body caps, answered as server-sent events
 * that arrive while the stream is still open.
 */
let db: Db;
let server: Server;
let base: string;
let alice: PublicUser;
let carol: PublicUser;
let sessionOf = '';

beforeAll(async () => {
  ({ db } = await useTestDatabase('job_watch_http'));
  alice = await signUp(db, { email: 'alice@example.com', username: 'alice', password: 'alice-password-1' });
  carol = await signUp(db, { email: 'carol@example.com', username: 'carol', password: 'carol-password-1' });
  server = createServer((req, res) => void serveFetch(req, res, (request) => serveTrpcHttp(request, { db, readSession: async () => ({ sessionUserId: sessionOf, sessionVersion: 0 }) })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Reads SSE events (event name and JSON data) off an open response until `until` says stop. */
async function readEvents(res: Response, until: (events: { event: string; id: string | null; data: unknown }[]) => boolean) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; id: string | null; data: unknown }[] = [];
  let text = '';
  const deadline = setTimeout(() => void reader.cancel(), 10_000);
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1];
        const id = /^id: (.*)$/m.exec(block)?.[1] ?? null;
        if (data) events.push({ event, id, data: JSON.parse(data) });
      }
    }
  } finally {
    clearTimeout(deadline);
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

const watchUrl = (id: string) => `${base}/api/trpc/jobs.watch?input=${encodeURIComponent(JSON.stringify({ id }))}`;

describe('jobs.watch over SSE through the HTTP bridge', () => {
  it('streams the first update, then a progress report while the response is still open', async () => {
    const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
    const modelId = await insertModel(db, { owner, name: 'm', graph: mlpClassifier(4, [8], 3), layout: {}, datasetId: 'builtin:iris' });
    const job = await createJob(db, { modelId, ownerId: owner._id, requirements: { device: 'cpu', minVramBytes: 0 }, priceCapMicro: '1', trainingFlops: 1 }, new Date());
    const id = job._id.toHexString();
    sessionOf = alice.id;
    const res = await fetch(watchUrl(id), { headers: { accept: 'text/event-stream' } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/event-stream']);
    let reported = false;
    const events = await readEvents(res, (seen) => {
      const updates = seen.filter((e) => e.event === 'message');
      if (updates.length === 1 && !reported) {
        reported = true;
        void jobProgressCollection(db)
          .insertOne({ _id: `${id}:1:7`, jobId: job._id, seq: 1, leaseEpoch: 1, machineId: 'm', step: 7, epochIndex: 0, loss: 0.5, accuracy: null, valLoss: null, valAccuracy: null, samplesPerSecond: null, etaSeconds: null, at: new Date() })
          .then(() => notifyJobChanged(id));
      }
      return updates.length >= 2;
    });
    const updates = events.filter((e) => e.event === 'message') as { id: string; data: { job: { id: string }; points: { step: number }[] } }[];
    expect(updates[0]!).toMatchObject({ id: '0', data: { job: { id }, points: [] } });
    expect(updates[1]!).toMatchObject({ id: '1', data: { points: [{ step: 7 }] } });
  });

  it('answers a stranger with a NOT_FOUND error event carrying its code', async () => {
    const owner = (await collections(db).users.findOne({ _id: new ObjectId(alice.id) }))!;
    const job = await createJob(db, { modelId: new ObjectId(), ownerId: owner._id, requirements: { device: 'cpu', minVramBytes: 0 }, priceCapMicro: '1', trainingFlops: 1 }, new Date());
    sessionOf = carol.id;
    const res = await fetch(watchUrl(job._id.toHexString()));
    const events = await readEvents(res, (seen) => seen.some((e) => e.event === 'serialized-error'));
    expect(events.find((e) => e.event === 'serialized-error')?.data).toMatchObject({ data: { code: 'NOT_FOUND', appCode: 'JOB_NOT_FOUND' } });
  });
});
