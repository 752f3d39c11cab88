import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../server/trpc/root';
import type { HeartbeatApi } from './heartbeat-loop';

/** A call that takes longer than this counts as the platform being unreachable (then: backoff). */
export const REQUEST_TIMEOUT_MS = 15_000;

export type PlatformClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export function trpcUrl(server: string): string {
  return `${server.replace(/\/+$/, '')}/api/trpc`;
}

/**
 * A tRPC client for the platform. `bearer` is the person's API key (login, register) or this
 * machine's credential (everything else); device login sends none, since the platform refuses any
 * request whose credentials it does not accept.
 */
export function platformClient(server: string, bearer?: string): PlatformClient {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: trpcUrl(server),
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) : AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
      }),
    ],
  });
}

/** The machine-credential procedures the heartbeat loop calls. */
export function heartbeatApi(client: PlatformClient): HeartbeatApi {
  return {
    heartbeat: (input) => client.runner.heartbeat.mutate(input),
    inventory: (input) => client.runner.inventory.mutate(input),
  };
}
