import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { auth } from '@/server/auth/next-auth';
import { getDb } from '@/server/db/client';
import { createContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';

// tRPC inputs are small JSON; files go through their own routes with their own limits.
const MAX_BODY_BYTES = 1024 * 1024;

function handler(req: Request) {
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return Response.json(
      { error: { message: 'The request is too large (at most 1 MiB).', code: -32600, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, appCode: 'PAYLOAD_TOO_LARGE' } } },
      { status: 413 },
    );
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: async () => {
      // API-key callers skip the session lookup entirely.
      const session = req.headers.get('authorization') ? null : await auth();
      return createContext({ db: getDb(), headers: req.headers, sessionUserId: session?.user?.id ?? null });
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
