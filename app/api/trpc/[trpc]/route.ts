import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { auth } from '@/server/auth/next-auth';
import { getDb } from '@/server/db/client';
import { createContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';

function handler(req: Request) {
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
