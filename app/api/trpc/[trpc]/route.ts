import { readRequestSession } from '@/server/auth/request-session';
import { getDb } from '@/server/db/client';
import { serveTrpcHttp } from '@/server/trpc/http-handler';

function handler(req: Request) {
  return serveTrpcHttp(req, { db: getDb(), readSession: () => readRequestSession(req) });
}

export { handler as GET, handler as POST };
