import { completeHeldJob, failHeldJob, handBackHeldJob, jobSpecFor, recordProgress, startHeldJob } from '../../jobs/runner-jobs';
import { JobCompleteInputSchema, JobFailInputSchema, JobLeaseInputSchema, JobProgressInputSchema } from '../../jobs/runner-protocol';
import { refreshInventory } from '../../machines/inventory-refresh';
import { recordHeartbeat } from '../../machines/heartbeat';
import { unregisterMachine } from '../../machines/owner-actions';
import { machineOf } from '../../machines/read';
import { signOffMachine } from '../../machines/sign-off';
import { HeartbeatInputSchema, InventorySchema } from '../../machines/schema';
import { machineView } from '../../machines/views';
import { z } from 'zod';
import { apiKeyProcedure, machineProcedure, router } from '../init';

/**
 * The node-runner's procedures. whoami takes the person's API key (before registering); the rest
 * take the machine credential and act only on that machine.
 */
export const runnerRouter = router({
  whoami: apiKeyProcedure.query(({ ctx }) => ({
    userId: ctx.caller.user._id.toHexString(),
    email: ctx.caller.user.email,
    username: ctx.caller.user.username ?? null,
    role: ctx.caller.role,
    apiKey: { id: ctx.apiKey.id.toHexString(), name: ctx.apiKey.name },
  })),

  me: machineProcedure.query(async ({ ctx }) => machineView(await machineOf(ctx.db, ctx.machine.id), ctx.now())),

  heartbeat: machineProcedure.input(HeartbeatInputSchema).mutation(({ ctx, input }) => recordHeartbeat(ctx.db, ctx.machine, input, ctx.now())),

  inventory: machineProcedure.input(z.object({ inventory: InventorySchema })).mutation(({ ctx, input }) => refreshInventory(ctx.db, ctx.machine, input.inventory)),

  // Executing a held job (server/jobs/runner-protocol.ts): each checks the lease is this machine's at this epoch.
  jobSpec: machineProcedure.input(JobLeaseInputSchema).query(({ ctx, input }) => jobSpecFor(ctx.db, ctx.machine.id.toHexString(), input)),
  jobStart: machineProcedure.input(JobLeaseInputSchema).mutation(({ ctx, input }) => startHeldJob(ctx.db, ctx.machine.id.toHexString(), input, ctx.now())),
  jobProgress: machineProcedure.input(JobProgressInputSchema).mutation(({ ctx, input }) => recordProgress(ctx.db, ctx.machine.id.toHexString(), input, ctx.now())),
  jobComplete: machineProcedure.input(JobCompleteInputSchema).mutation(({ ctx, input }) => completeHeldJob(ctx.db, ctx.machine.id.toHexString(), input, ctx.now())),
  jobHandBack: machineProcedure.input(JobLeaseInputSchema).mutation(({ ctx, input }) => handBackHeldJob(ctx.db, ctx.machine.id.toHexString(), input, ctx.now())),
  jobFail: machineProcedure.input(JobFailInputSchema).mutation(({ ctx, input }) => failHeldJob(ctx.db, ctx.machine.id.toHexString(), input, ctx.now())),

  /** The runner is stopping cleanly: offline at once (until its next heartbeat), so nothing more is leased to it. */
  signOff: machineProcedure.input(z.object({}).optional()).mutation(({ ctx }) => signOffMachine(ctx.db, ctx.machine.id, ctx.now())),

  unregister: machineProcedure.input(z.object({}).optional()).mutation(async ({ ctx }) => {
    await unregisterMachine(ctx.db, ctx.machine.id, ctx.now());
    return { removed: true as const };
  }),
});
