import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAIN_BYTES, DRAIN_MS } from './drain-unread-body';
import { serveFetch } from './fetch-bridge';
import { readBodyCapped, TOO_LARGE } from './read-body-capped';

const CAP = 64 * 1024;
let server: Server;
let base: string;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  server = createServer((req, res) => {
    void serveFetch(req, res, async (request) => {
      const body = await readBodyCapped(request, CAP);
      if (body === TOO_LARGE) return Response.json({ code: 'PAYLOAD_TOO_LARGE' }, { status: 413 });
      return Response.json({ bytes: body.byteLength });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await new Promise((resolve) => server.close(resolve));
});

/** Streams `chunks` MiB-sized chunks without a length; answers what the client saw and how much it handed over. */
function streamChunks(chunks: number, agent?: Agent): Promise<{ status: number; handedOver: number }> {
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let handedOver = 0;
    let answered = false;
    const req = httpRequest(`${base}/upload`, { method: 'POST', agent, headers: { 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, handedOver });
      req.destroy();
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (handedOver < chunks) {
        handedOver++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('serveFetch with a refused body', () => {
  it('a 64 MiB chunked body over the cap is answered 413 every time, before the client has handed all of it over', async () => {
    for (let attempt = 0; attempt < 25; attempt++) {
      const { status, handedOver } = await streamChunks(64);
      expect(status).toBe(413);
      expect(handedOver).toBeLessThan(64);
    }
    expect(uncaught).toEqual([]);
  });

  it('a client that never stops sending is answered 413 and cut off once the drain ends', async () => {
    let serverSide: Socket | undefined;
    server.once('connection', (accepted: Socket) => (serverSide = accepted));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const chunk = `${(64 * 1024).toString(16)}\r\n${'z'.repeat(64 * 1024)}\r\n`;
    let answer = '';
    let answeredAt = 0;
    const closedAt = await new Promise<number>((resolve) => {
      socket.on('data', (data: Buffer) => {
        answer += data.toString();
        answeredAt ||= Date.now();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Date.now()));
      socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(closedAt - answeredAt).toBeLessThan(DRAIN_MS + 1_500);
    expect(serverSide!.bytesRead).toBeLessThan(CAP + DRAIN_BYTES + 16 * 1024 * 1024);
  });

  it('a refused body that ends within the drain keeps the connection usable for the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const sockets = new Set<unknown>();
      server.on('connection', (socket) => sockets.add(socket));
      const refused = await fetchWith(agent, Buffer.alloc(CAP * 2, 0x62));
      expect(refused).toMatchObject({ status: 413 });
      const accepted = await fetchWith(agent, Buffer.from('{"ok":true}'));
      expect(accepted).toEqual({ status: 200, body: { bytes: 11 } });
      expect(sockets.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('a body within the cap is read whole', async () => {
    const res = await fetch(`${base}/upload`, { method: 'POST', body: Buffer.alloc(CAP, 0x63) });
    expect(await res.json()).toEqual({ bytes: CAP });
  });
});

function fetchWith(agent: Agent, body: Buffer): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/upload`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString()) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('serveFetch with a streamed response', () => {
  it('hands chunks over as they are produced, and aborts the request and cancels the body when the client goes away', async () => {
    let cancelled = false;
    let aborted = false;
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => (closed = resolve));
    const stream = createServer((req, res) => {
      void serveFetch(req, res, async (request) => {
        request.signal.addEventListener('abort', () => {
          aborted = true;
          if (cancelled) closed();
        });
        let n = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            // One event now, then nothing until the client leaves: an SSE stream that never ends.
            if (n++ === 0) controller.enqueue(new TextEncoder().encode('data: first\n\n'));
            else await new Promise(() => undefined);
          },
          cancel() {
            cancelled = true;
            if (aborted) closed();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
      });
    });
    await new Promise<void>((resolve) => stream.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(stream.address() as AddressInfo).port}/sse`;
      const first = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(url, (res) => {
          res.once('data', (chunk: Buffer) => {
            resolve(chunk.toString());
            req.destroy();
          });
        });
        req.on('error', () => undefined);
        req.once('error', reject);
        req.end();
      });
      expect(first).toBe('data: first\n\n');
      await gone;
      expect([aborted, cancelled]).toEqual([true, true]);
    } finally {
      stream.closeAllConnections();
      await new Promise((resolve) => stream.close(resolve));
    }
  });
});
