import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { drainUnreadBody } from './drain-unread-body';
import { requestBodyStream } from './request-body-stream';

/** A fetch-style handler: what our API modules export, and what Next's route files call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Serves a fetch-style handler from Node's HTTP server, ahead of Next.js. A handler that refuses a
 * body part-way (an oversized upload) cancels it; the socket is paused, the refusal written, and
 * the rest drained briefly so the client reads the refusal (drain-unread-body.ts).
 *
 * Responses stream as the handler produces them (SSE subscriptions never end on their own): when the
 * client goes away first, the request's signal aborts and the response body is cancelled, so the
 * handler's producer (a tRPC subscription's generator) stops instead of running on for nobody.
 */
export async function serveFetch(req: IncomingMessage, res: ServerResponse, handler: FetchHandler): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const clientGone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) clientGone.abort();
  });
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    signal: clientGone.signal,
    ...(hasBody ? { body: requestBodyStream(req), duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request);
  res.statusCode = response.status;
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') res.setHeader(name, value);
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (hasBody) res.once('finish', () => drainUnreadBody(req));
  if (!response.body) return void res.end();
  // pipeline, not pipe: a closed response destroys the source, which cancels the web stream.
  pipeline(Readable.fromWeb(response.body as WebReadableStream), res, () => undefined);
}
