import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A fetch-style handler: what our API modules export, and what Next's route files call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Serves a fetch-style handler from Node's HTTP server, ahead of Next.js. Node's own stream bridge
 * stops reading the socket when a handler cancels the body (a refused oversized upload), where
 * Next's wrapper kept pushing into the closed stream and threw.
 */
export async function serveFetch(req: IncomingMessage, res: ServerResponse, handler: FetchHandler): Promise<void> {
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
  const response = await handler(request);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  // Whatever of the request body was not read (a refused upload) is dropped with the connection.
  if (hasBody && !req.readableEnded) res.setHeader('connection', 'close');
  if (!response.body) return void res.end();
  Readable.fromWeb(response.body as WebReadableStream).pipe(res);
}
