import { z } from 'zod';
import { approveDeviceLogin, pollDeviceLogin, startDeviceLogin } from '../../machines/device-login';
import { removeMachine, renameMachine, setMaintenance, setPrice, setUnitStatus } from '../../machines/owner-actions';
import { getMachine, listMachines } from '../../machines/read';
import { registerMachine } from '../../machines/register';
import { IdSchema, MachineNameSchema, PriceMicroSchema, RegisterInputSchema } from '../../machines/schema';
import { unstakeMachine } from '../../machines/stake';
import { machineStake, restakeMachine } from '../../machines/restake';
import { apiKeyProcedure, publicProcedure, router, sessionProcedure, signedInProcedure } from '../init';

/** Providers' machines, as their owners see and manage them; registration and device login for runners. */
export const machinesRouter = router({
  /** With the person's API key (never a machine credential): answers the machine credential once. */
  register: apiKeyProcedure.input(RegisterInputSchema).mutation(({ ctx, input }) => registerMachine(ctx.db, ctx.caller.user._id, input, ctx.now())),

  list: signedInProcedure.query(({ ctx }) => listMachines(ctx.db, ctx.caller.user._id, ctx.now())),

  get: signedInProcedure.input(z.object({ id: IdSchema })).query(({ ctx, input }) => getMachine(ctx.db, ctx.caller.user._id, input.id, ctx.now())),

  setUnitStatus: signedInProcedure
    .input(z.object({ unitId: IdSchema, status: z.enum(['active', 'paused']) }))
    .mutation(({ ctx, input }) => setUnitStatus(ctx.db, ctx.caller.user._id, input.unitId, input.status, ctx.now())),

  setMaintenance: signedInProcedure
    .input(z.object({ id: IdSchema, on: z.boolean() }))
    .mutation(({ ctx, input }) => setMaintenance(ctx.db, ctx.caller.user._id, input.id, input.on, ctx.now())),

  rename: signedInProcedure
    .input(z.object({ id: IdSchema, name: MachineNameSchema }))
    .mutation(({ ctx, input }) => renameMachine(ctx.db, ctx.caller.user._id, input.id, input.name, ctx.now())),

  setPrice: signedInProcedure
    .input(z.object({ id: IdSchema, pricePerHourMicro: PriceMicroSchema }))
    .mutation(({ ctx, input }) => setPrice(ctx.db, ctx.caller.user._id, input.id, input.pricePerHourMicro, ctx.now())),

  remove: signedInProcedure.input(z.object({ id: IdSchema })).mutation(async ({ ctx, input }) => {
    await removeMachine(ctx.db, ctx.caller.user._id, input.id, ctx.now());
    return { removed: true as const };
  }),

  unstake: signedInProcedure
    .input(z.object({ id: IdSchema }))
    .mutation(({ ctx, input }) => unstakeMachine(ctx.db, ctx.caller.user._id, input.id, ctx.now())),

  /** What the node registry holds for the machine (the stake really locked), and whether it can be staked again. */
  stake: signedInProcedure.input(z.object({ id: IdSchema })).query(({ ctx, input }) => machineStake(ctx.db, ctx.caller.user._id, input.id)),

  /** Stakes again a machine whose node is withdrawn (after an unban or a withdrawal); one stake per request id. */
  restake: signedInProcedure
    .input(z.object({ id: IdSchema, requestId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _.') }))
    .mutation(({ ctx, input }) => restakeMachine(ctx.db, ctx.caller.user._id, input, ctx.now())),

  deviceStart: publicProcedure.mutation(({ ctx }) => startDeviceLogin(ctx.db, { ip: ctx.ip, origin: ctx.origin, now: ctx.now() })),

  /** Only a browser session: approving with an API key would let a leaked key mint more keys. */
  deviceApprove: sessionProcedure
    .input(z.object({ userCode: z.string().trim().min(1, 'Type the code the runner printed.').max(20) }))
    .mutation(({ ctx, input }) => approveDeviceLogin(ctx.db, ctx.caller.user._id, input.userCode, ctx.now())),

  devicePoll: publicProcedure
    .input(z.object({ deviceCode: z.string().min(1).max(200) }))
    .mutation(({ ctx, input }) => pollDeviceLogin(ctx.db, input.deviceCode, ctx.now())),
});
