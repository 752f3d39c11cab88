/**
 * The API server bench:heartbeats measures: the embedded database and the HTTP server exactly as
 * scripts/start.ts wires them for API calls (server/http/api-routes.ts answers /api/trpc before
 * Next.js is involved), without Next's pages, which heartbeats never reach and which would need a
 * production build first. Writes runtime.json into the data folder once it listens.
 */
import { createServer } from 'node:http';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bootstrapDatabase } from '../../server/db/bootstrap';
import { apiRouteFor } from '../../server/http/api-routes';
import { serveFetch } from '../../server/http/fetch-bridge';
import { ensureAuthSecret } from './auth-secret';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: flags } = parseArgs({ options: { 'data-dir': { type: 'string' }, port: { type: 'string' } } });
const dataDir = flags['data-dir']!;

const database = await bootstrapDatabase({ root, dataDir, log: (m) => console.error(`[bench-server] ${m}`) });
console.error(`[bench-server] database: ${database.description}`);
process.env.AUTH_SECRET = ensureAuthSecret(dataDir);
const server = createServer((req, res) => {
  req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  const api = apiRouteFor(req, database.db);
  if (!api) {
    res.writeHead(404).end();
    return;
  }
  serveFetch(req, res, api).catch((error: unknown) => {
    console.error('request failed', error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(Number(flags.port), '127.0.0.1', () => resolve()));
// Written aside and renamed, so the bench that polls for runtime.json never reads half of it.
const runtime = path.join(dataDir, 'runtime.json');
writeFileSync(`${runtime}.tmp`, JSON.stringify({ url: `http://127.0.0.1:${flags.port}`, mongoUri: database.uri, pid: process.pid }));
renameSync(`${runtime}.tmp`, runtime);

const stop = async () => {
  server.closeAllConnections();
  server.close();
  await database.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
