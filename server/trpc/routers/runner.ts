import { apiKeyProcedure, router } from '../init';

/** Procedures for machines and scripts that authenticate with an API key (the node-runner). */
export const runnerRouter = router({
  whoami: apiKeyProcedure.query(({ ctx }) => ({
    userId: ctx.caller.user._id.toHexString(),
    email: ctx.caller.user.email,
    username: ctx.caller.user.username ?? null,
    role: ctx.caller.role,
    apiKey: { id: ctx.apiKey.id.toHexString(), name: ctx.apiKey.name },
  })),
});
