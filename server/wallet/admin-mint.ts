import type { Db, ObjectId } from 'mongodb';
import { parseCyx, formatCyx } from '../../programs';
import { findUserByUsername } from '../auth/users';
import { audit } from '../audit/audit';
import { collections } from '../db/collections';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { toMoneyError, withLedger } from './money-error';

/**
 * An administrator mints CYX to a person (by username or email) with a reason. The request id
 * keys the instruction, so a retried click mints once; every mint that lands is audited with who,
 * to whom, how much and why.
 */
export async function adminMint(db: Db, admin: { id: ObjectId; ip: string | null }, input: { to: string; amount: string; reason: string; requestId: string }, now = new Date()): Promise<{ seq: number; amount: string; to: string; repeated: boolean }> {
  const amount = parseCyx(input.amount);
  if (amount === null) throw new AppError('BAD_REQUEST', 'AMOUNT_INVALID', `Type an amount of CYX above 0 with at most 6 decimals (e.g. 25 or 0.5), got "${input.amount}".`, 'amount');
  const who = input.to.trim();
  const user = who.includes('@') ? await collections(db).users.findOne({ email: who.toLowerCase() }) : await findUserByUsername(db, who);
  if (!user) throw new AppError('NOT_FOUND', 'USER_NOT_FOUND', `No account has the username or email "${who}".`, 'to');
  const to = user._id.toHexString();
  const result = await withLedger(async () => (await getLedger(db)).submit({ kind: 'mint', key: `admin-mint:${admin.id.toHexString()}:${input.requestId}`, at: now.getTime(), by: admin.id.toHexString(), to, amount, reason: input.reason.trim() }));
  if (!result.outcome.ok) throw toMoneyError(result.outcome, 'reason');
  if (!result.repeated) {
    await audit(db, { at: now, actorId: admin.id, action: 'ledger.mint', target: `${user.username ?? user.email}: ${formatCyx(amount)} (${input.reason.trim()}) seq ${result.seq}`, reason: input.reason.trim(), ip: admin.ip });
  }
  return { seq: result.seq!, amount: amount.toString(), to: user.username ?? user.email, repeated: result.repeated };
}
