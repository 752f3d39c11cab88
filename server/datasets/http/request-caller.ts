import { readRequestSession } from '../../auth/request-session';
import { NO_SESSION } from '../../auth/session-claims';
import { getDb } from '../../db/client';
import { AppError } from '../../errors/app-error';
import { createContext, type Caller } from '../../trpc/context';

/** Who is calling a route handler: the same rules as tRPC (an API key when presented, else the session). */
export async function requireCaller(request: Request): Promise<Caller> {
  // API-key callers skip the session lookup entirely.
  const session = request.headers.get('authorization') ? NO_SESSION : await readRequestSession(request);
  const ctx = await createContext({ db: getDb(), headers: request.headers, ...session });
  if (ctx.authError) throw ctx.authError;
  if (!ctx.caller) throw new AppError('UNAUTHORIZED', 'NOT_SIGNED_IN', 'Sign in, or send an API key, to do this.');
  return ctx.caller;
}
