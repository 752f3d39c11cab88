import { z } from 'zod';
import { formatCyx, INSTRUCTION_KINDS, type InstructionKind } from '../../../programs';
import { getLedger, MAX_HISTORY_PAGE } from '../../ledger';
import { FAUCET_AMOUNT, faucetEnabled, requestFaucet } from '../../wallet/faucet';
import { historyRows } from '../../wallet/history-rows';
import { withLedger } from '../../wallet/money-error';
import { signedInProcedure, router } from '../init';

const [firstKind, ...otherKinds] = INSTRUCTION_KINDS as [InstructionKind, ...InstructionKind[]];

/** A person's money: balances from the ledger's live view, history from its log, and the dev faucet. */
export const walletRouter = router({
  balance: signedInProcedure.query(async ({ ctx }) => {
    const wallet = await withLedger(async () => (await getLedger(ctx.db)).wallet(ctx.caller.user._id.toHexString()));
    return {
      available: wallet.available.toString(),
      inEscrow: wallet.inEscrow.toString(),
      staked: wallet.staked.toString(),
      unstaking: wallet.unstaking.map((u) => ({ nodeId: u.nodeId, amount: u.amount.toString(), availableAt: new Date(u.availableAt).toISOString() })),
      faucet: faucetEnabled() ? { amount: FAUCET_AMOUNT.toString(), label: formatCyx(FAUCET_AMOUNT) } : null,
    };
  }),

  history: signedInProcedure
    .input(
      z.object({
        kind: z.enum([firstKind, ...otherKinds], { error: `Filter by one of: ${INSTRUCTION_KINDS.join(', ')}.` }).optional(),
        /** The `nextCursor` of the page before (a log sequence number); tRPC's infinite queries pass it as `cursor`. */
        cursor: z.number().int().positive().nullish(),
        limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).default(20),
      }),
    )
    .query(async ({ ctx, input }) => {
      const userId = ctx.caller.user._id.toHexString();
      const page = await withLedger(async () => (await getLedger(ctx.db)).history(userId, { ...(input.kind ? { kind: input.kind } : {}), ...(input.cursor ? { before: input.cursor } : {}), limit: input.limit }));
      return { entries: await historyRows(ctx.db, userId, page.entries), nextCursor: page.nextBefore };
    }),

  faucet: signedInProcedure
    .input(z.object({ requestId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _.') }))
    .mutation(async ({ ctx, input }) => {
      const result = await withLedger(() => requestFaucet(ctx.db, ctx.caller.user._id.toHexString(), input.requestId));
      return { amount: result.amount.toString(), seq: result.seq, repeated: result.repeated };
    }),
});
