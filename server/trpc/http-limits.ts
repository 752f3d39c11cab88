import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { DEFAULT_BODY_CAP, isLargeBodyRoute, MAX_BATCH_CALLS, ROUTE_BODY_CAPS } from './http-caps';

const MIB = 1024 * 1024;

/** The procedure paths a request names, exactly as tRPC's fetch adapter will split them. */
export function procedurePaths(url: URL, endpoint: string): string[] {
  const pathname = trimSlashes(url.pathname);
  const path = trimSlashes(pathname.slice(trimSlashes(endpoint).length));
  return url.searchParams.get('batch') === '1' ? path.split(',') : [path];
}

function trimSlashes(path: string): string {
  return path.replace(/^\//, '').replace(/\/$/, '');
}

/**
 * The body cap of a request: the smallest of its calls' caps, so a small call in a batch cannot
 * ride on a large one's allowance. `largeAllowed` is false for callers that are not signed in, who
 * never get more than the default (their large calls would be refused anyway, after the parse).
 */
export function bodyCapFor(paths: readonly string[], largeAllowed = true): number {
  if (!largeAllowed || paths.length === 0) return DEFAULT_BODY_CAP;
  return Math.min(...paths.map((p) => (isLargeBodyRoute(p) ? ROUTE_BODY_CAPS[p]! : DEFAULT_BODY_CAP)));
}

/** The same request with its body already in memory, for tRPC to parse. */
export function withBufferedBody(req: Request, body: Uint8Array): Request {
  const headers = new Headers(req.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(body.byteLength));
  return new Request(req.url, { method: req.method, headers, body: body as BodyInit, signal: req.signal });
}

/** An error in the shape tRPC's own error responses have (see server/trpc/init.ts errorFormatter). */
function errorResponse(code: 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST', httpStatus: number, appCode: string, message: string): Response {
  return Response.json({ error: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus, appCode } } }, { status: httpStatus });
}

export function payloadTooLarge(cap: number): Response {
  return errorResponse('PAYLOAD_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE', `The request is too large (at most ${formatMiB(cap)}).`);
}

export function batchTooLarge(calls: number): Response {
  return errorResponse('BAD_REQUEST', 400, 'BATCH_TOO_LARGE', `A batch may hold at most ${MAX_BATCH_CALLS} calls; this one has ${calls}.`);
}

function formatMiB(bytes: number): string {
  return `${Number.isInteger(bytes / MIB) ? bytes / MIB : (bytes / MIB).toFixed(1)} MiB`;
}
