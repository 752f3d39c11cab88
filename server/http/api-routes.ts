import type { IncomingMessage } from 'node:http';
import type { Db } from 'mongodb';
import { readRequestSession } from '../auth/request-session';
import { handleDatasetUpload } from '../datasets/http/upload-route';
import { runnerRouteFor } from '../jobs/http/runner-routes';
import { serveTrpcHttp, TRPC_ENDPOINT } from '../trpc/http-handler';
import type { FetchHandler } from './fetch-bridge';

/**
 * The API routes our HTTP server answers itself, before Next.js: they need none of the framework,
 * whose routing and request wrapping cost as much CPU as a small read (models.list at 50
 * connections: 383 req/s through Next). The same handlers stay mounted in app/api for `next dev`.
 */
export function apiRouteFor(req: IncomingMessage, db: Db): FetchHandler | null {
  const path = (req.url ?? '/').split('?', 1)[0]!;
  if (path === TRPC_ENDPOINT || path.startsWith(`${TRPC_ENDPOINT}/`)) {
    return (request) => serveTrpcHttp(request, { db, readSession: () => readRequestSession(request) });
  }
  if (path === '/api/datasets' && req.method === 'POST') return handleDatasetUpload;
  return runnerRouteFor(req.method ?? 'GET', path, db);
}
