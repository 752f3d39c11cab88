import type { Db } from 'mongodb';
import { cyx, formatCyx } from '../../programs';
import { countHit, limitFromEnv } from '../auth/rate-limit';
import { AppError } from '../errors/app-error';
import { getLedger, seqOfKey } from '../ledger';
import { toMoneyError } from './money-error';

/** What one faucet request mints: enough to stake a machine (100 CYX) and pay for a few jobs. */
export const FAUCET_AMOUNT = cyx(250);
/** Per person; a dev faucet that anyone could hammer would be a mint for everyone. */
export const FAUCET_LIMIT = limitFromEnv('FAUCET_LIMIT', { max: 5, windowMs: 60 * 60 * 1000 });

/** On with CYXWIZ_FAUCET=1 (npm start's demo mode sets it); off everywhere else. */
export function faucetEnabled(): boolean {
  return process.env.CYXWIZ_FAUCET === '1';
}

/**
 * Mints FAUCET_AMOUNT to the person through the ledger. `requestId` makes a retried click one mint:
 * the instruction key is the person and the request, so the ledger answers a repeat with the first.
 */
export async function requestFaucet(db: Db, userId: string, requestId: string, now = new Date()): Promise<{ amount: bigint; seq: number; repeated: boolean }> {
  if (!faucetEnabled()) throw new AppError('FORBIDDEN', 'FAUCET_DISABLED', 'The faucet is for development and demos; it is off on this server.');
  const key = `faucet:${userId}:${requestId}`;
  // A retry of a request that landed is answered by the ledger without using up a turn.
  const landed = (await seqOfKey(db, key)) !== null;
  const hit = landed ? { count: 0, retryAfterMs: 0 } : await countHit(db, `faucet:${userId}`, FAUCET_LIMIT, now);
  if (!landed && hit.count > FAUCET_LIMIT.max) {
    const minutes = Math.max(1, Math.ceil(hit.retryAfterMs / 60_000));
    throw new AppError('TOO_MANY_REQUESTS', 'FAUCET_RATE_LIMITED', `The faucet gives at most ${FAUCET_LIMIT.max} times an hour; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  const ledger = await getLedger(db);
  const result = await ledger.submit({ kind: 'mint', key, at: now.getTime(), by: 'faucet', to: userId, amount: FAUCET_AMOUNT, reason: `Dev faucet: ${formatCyx(FAUCET_AMOUNT)}` });
  if (!result.outcome.ok) throw toMoneyError(result.outcome);
  return { amount: FAUCET_AMOUNT, seq: result.seq!, repeated: result.repeated };
}
