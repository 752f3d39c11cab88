import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import next from 'next';

import { COLLAB_PATH } from '../../collab/path';
import { serveFetch, type FetchHandler } from './fetch-bridge';

export { COLLAB_PATH };

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface AppServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP port for everything: Next.js pages and API routes, and WebSocket upgrades on COLLAB_PATH.
 */
export async function startAppServer(opts: {
  dir: string;
  port: number;
  hostname: string;
  dev: boolean;
  trustProxy: boolean;
  onCollabUpgrade?: UpgradeHandler;
  /** API routes answered before Next.js sees them: a handler for the request, or null for Next. */
  apiRoute?: (req: IncomingMessage) => FetchHandler | null;
}): Promise<AppServer> {
  const app = next({ dev: opts.dev, dir: opts.dir, hostname: opts.hostname, port: opts.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();

  const server = createServer((req, res) => {
    // Rate limits key on the client's address: never believe a client-sent header unless told to.
    if (!opts.trustProxy) req.headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
    const api = opts.apiRoute?.(req);
    (api ? serveFetch(req, res, api) : handle(req, res)).catch((error: unknown) => {
      console.error('request failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === COLLAB_PATH || pathname.startsWith(`${COLLAB_PATH}/`)) {
      if (opts.onCollabUpgrade) return opts.onCollabUpgrade(req, socket, head);
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\n\r\nThe collaboration server is not running.\n');
      return;
    }
    void nextUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${opts.port} is already in use. Stop whatever uses it, or set PORT to another port.`));
      } else reject(error);
    });
    server.listen(opts.port, opts.hostname, () => resolve());
  });

  return {
    server,
    // WebGPU needs a secure context: http://localhost is one, http://127.0.0.1 is not in every browser.
    url: `http://${['0.0.0.0', '127.0.0.1', '::'].includes(opts.hostname) ? 'localhost' : opts.hostname}:${opts.port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
