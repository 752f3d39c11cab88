import { refreshInventory } from '../../machines/inventory-refresh';
import { recordHeartbeat } from '../../machines/heartbeat';
import { unregisterMachine } from '../../machines/owner-actions';
import { machineOf } from '../../machines/read';
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

  unregister: machineProcedure.input(z.object({}).optional()).mutation(async ({ ctx }) => {
    await unregisterMachine(ctx.db, ctx.machine.id, ctx.now());
    return { removed: true as const };
  }),
});
