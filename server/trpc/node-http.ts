import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Db } from 'mongodb';
import { readRequestSession } from '../auth/request-session';
import { serveTrpcHttp } from './http-handler';

/**
 * The tRPC endpoint served by our own HTTP server, ahead of Next.js: the same handler the Next route
 * mounts, without the framework's routing and request wrapping, which cost as much CPU per call as a
 * small read itself (models.list at 50 connections: 383 req/s through Next).
 */
export async function serveTrpcNode(req: IncomingMessage, res: ServerResponse, db: Db): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  const response = await serveTrpcHttp(request, { db, readSession: () => readRequestSession(request) });
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (!response.body) return void res.end();
  // Whatever of the request body was not read (a refused upload) is dropped, not left to block.
  if (hasBody && !req.readableEnded) res.setHeader('connection', 'close');
  Readable.fromWeb(response.body as WebReadableStream).pipe(res);
}
