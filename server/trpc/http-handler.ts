import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Db } from 'mongodb';
import { NO_SESSION, type SessionClaims } from '../auth/session-claims';
import { createContext } from './context';
import { MAX_BATCH_CALLS, ROUTE_BODY_CAPS } from './http-caps';
import { readBodyCapped, TOO_LARGE } from '../http/read-body-capped';
import { batchTooLarge, bodyCapFor, payloadTooLarge, procedurePaths, withBufferedBody } from './http-limits';
import { appRouter } from './root';

export const TRPC_ENDPOINT = '/api/trpc';

const LARGEST_CAP = Math.max(...Object.values(ROUTE_BODY_CAPS));

/**
 * The tRPC HTTP endpoint (app/api/trpc mounts it). Before tRPC sees a request: a batch may hold at
 * most MAX_BATCH_CALLS calls, and the body is read here, counting streamed bytes, up to the cap of
 * the procedures it names (large caps only for signed-in callers), so nothing oversized is parsed.
 * `readSession` gives the session cookie's claims; API-key callers skip it.
 */
export async function serveTrpcHttp(req: Request, opts: { db: Db; readSession: () => Promise<SessionClaims> }): Promise<Response> {
  const paths = procedurePaths(new URL(req.url), TRPC_ENDPOINT);
  if (paths.length > MAX_BATCH_CALLS) return batchTooLarge(paths.length);
  // Refused before the session is even looked up: no procedure accepts this much.
  if (Number(req.headers.get('content-length') ?? 0) > LARGEST_CAP) {
    await req.body?.cancel().catch(() => undefined);
    return payloadTooLarge(bodyCapFor(paths));
  }

  // One context per request, as tRPC would make it; made first because the caller decides the cap.
  const context = (async () => {
    const claims = req.headers.get('authorization') ? NO_SESSION : await opts.readSession();
    return createContext({ db: opts.db, headers: req.headers, ...claims });
  })();

  let request = req;
  if (req.body) {
    const signedIn = await context.then((c) => c.caller !== null, () => false);
    const cap = bodyCapFor(paths, signedIn);
    const body = await readBodyCapped(req, cap);
    if (body === TOO_LARGE) return payloadTooLarge(cap);
    request = withBufferedBody(req, body);
  }

  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: () => context,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}
