import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Db } from 'mongodb';
import { serveFetch } from '../../server/http/fetch-bridge';
import { runnerRouteFor } from '../../server/jobs/http/runner-routes';
import { createContext } from '../../server/trpc/context';
import { appRouter } from '../../server/trpc/root';
import type { Clock } from '../clock';

/**
 * The platform's real tRPC router behind a real HTTP socket, on the real test database, with the
 * server's clock taken from the test's (so "offline after 15 s" needs no sleeping). It can be
 * stopped and started again on the same port, as a platform restart would.
 */
export class PlatformServer {
  private server: Server | null = null;
  port = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      // The runner's blob and checkpoint routes, as the app server answers them before Next.
      const now = () => new Date(this.clock.now());
      const route = runnerRouteFor(req.method ?? 'GET', (req.url ?? '/').split('?', 1)[0]!, this.db, now);
      if (route) {
        void serveFetch(req, res, route);
        return;
      }
      void serveFetch(req, res, (request) =>
        fetchRequestHandler({
          endpoint: '/api/trpc',
          req: request,
          router: appRouter,
          createContext: () => createContext({ db: this.db, headers: request.headers, sessionUserId: null, now: () => new Date(this.clock.now()) }),
          onError: ({ error }) => {
            if (error.code === 'INTERNAL_SERVER_ERROR') console.error(error);
          },
        }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise((resolve) => server.close(resolve));
    // Keep-alive sockets would hold the port; a restarting platform drops them too.
    server.closeAllConnections();
    await closed;
  }
}
