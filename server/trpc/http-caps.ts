/**
 * The tRPC endpoint's limits, shared with the browser client (components/trpc/client.tsx), which
 * sends large-body calls on their own and splits batches to fit. No imports: the page bundles it.
 */
/** tRPC inputs are small JSON; files go through their own routes with their own limits. */
export const DEFAULT_BODY_CAP = 1024 * 1024;

/**
 * Procedures whose input is legitimately large. runs.save carries up to 32 MiB of weights
 * (server/runs/schema.ts) as base64 inside JSON: 4/3 of that plus metrics and config.
 */
export const ROUTE_BODY_CAPS: Readonly<Record<string, number>> = {
  'runs.save': 48 * 1024 * 1024,
};

/** tRPC's client batches what one render asks for; twenty is plenty, a thousand is an attack. */
export const MAX_BATCH_CALLS = 20;

/** Whether a procedure may take a body over the default cap: the client sends those unbatched. */
export function isLargeBodyRoute(path: string): boolean {
  return Object.hasOwn(ROUTE_BODY_CAPS, path);
}
