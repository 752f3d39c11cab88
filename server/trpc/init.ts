import { initTRPC, TRPCError } from '@trpc/server';
import { z, ZodError } from 'zod';
import { AppError } from '../errors/app-error';
import type { Caller, Context } from './context';
import { procedureStats } from './procedure-stats';

export const GENERIC_ERROR_MESSAGE = 'Something went wrong on our side. Please try again.';

function summarizeZod(error: ZodError): string {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    let appCode: string = error.code;
    let fieldErrors: Record<string, string[]> | undefined;
    let message = shape.message;
    if (cause instanceof ZodError) {
      appCode = 'INVALID_INPUT';
      fieldErrors = z.flattenError(cause).fieldErrors as Record<string, string[]>;
      message = summarizeZod(cause);
    } else if (cause instanceof AppError) {
      appCode = cause.code;
      if (cause.field) fieldErrors = { [cause.field]: [cause.message] };
    }
    return {
      message: internal ? GENERIC_ERROR_MESSAGE : message,
      code: shape.code,
      // No stack traces, ever: people get the message, the server log gets the rest.
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, appCode, fieldErrors },
    };
  },
});

/** Turns an AppError thrown anywhere below into the matching tRPC error. */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.kind, message: cause.message, cause });
  }
  return result;
});

/** Times every call and notes its error code, for the admin health page (procedure-stats.ts). */
const recordCall = t.middleware(async ({ path, next }) => {
  const started = performance.now();
  const result = await next();
  procedureStats().record(path, performance.now() - started, result.ok ? null : result.error.code);
  return result;
});

const rejectBadCredentials = t.middleware(({ ctx, next }) => {
  if (ctx.authError) throw new TRPCError({ code: 'UNAUTHORIZED', message: ctx.authError.message, cause: ctx.authError });
  return next();
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(recordCall).use(appErrors).use(rejectBadCredentials);

const unauthorized = () =>
  new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in, or send an API key, to do this.', cause: new AppError('UNAUTHORIZED', 'NOT_SIGNED_IN', 'Sign in, or send an API key, to do this.') });

/** A signed-in person, through the browser session or an API key. */
export const signedInProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.caller) throw unauthorized();
  return next({ ctx: { ...ctx, caller: ctx.caller as Caller } });
});

/** Only a browser session: managing API keys with an API key would let a leaked key mint more. */
export const sessionProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.caller.via !== 'session') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This needs a signed-in browser session, not an API key.', cause: new AppError('FORBIDDEN', 'SESSION_REQUIRED', 'This needs a signed-in browser session, not an API key.') });
  }
  return next();
});

export const adminProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.caller.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only administrators can do this.', cause: new AppError('FORBIDDEN', 'ADMIN_ONLY', 'Only administrators can do this.') });
  }
  return next();
});

/** Machines and scripts (the node-runner): an API key is required. */
export const apiKeyProcedure = signedInProcedure.use(({ ctx, next }) => {
  if (ctx.caller.via !== 'apiKey' || !ctx.caller.apiKey) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Send an API key as "Authorization: Bearer <key>".', cause: new AppError('UNAUTHORIZED', 'API_KEY_REQUIRED', 'Send an API key as "Authorization: Bearer <key>".') });
  }
  return next({ ctx: { ...ctx, apiKey: ctx.caller.apiKey } });
});

/**
 * A node-runner with its machine credential (and nothing else: a person's session or API key is
 * refused, so a leaked user key cannot pose as a machine). Revoked and unknown credentials were
 * already refused with their own 401 codes while the context was made.
 */
export const machineProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.machine) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Send this machine\'s credential as "Authorization: Bearer cyxm_…" (run the runner\'s register command first).', cause: new AppError('UNAUTHORIZED', 'MACHINE_CREDENTIAL_REQUIRED', 'Send this machine\'s credential as "Authorization: Bearer cyxm_…" (run the runner\'s register command first).') });
  }
  return next({ ctx: { ...ctx, machine: ctx.machine } });
});
