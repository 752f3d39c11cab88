import type { Db } from 'mongodb';
import { audit } from '../audit/audit';
import { AppError } from '../errors/app-error';
import { clearHits, countHit, limitFromEnv, type Limit } from './rate-limit';

export const SIGNIN_ACCOUNT_LIMIT_DEFAULT: Limit = { max: 5, windowMs: 15 * 60_000 };
export const SIGNIN_IP_LIMIT_DEFAULT: Limit = { max: 30, windowMs: 15 * 60_000 };

/** What the password is for: each has its own counters (key prefix) and its own wording. */
export type AttemptKind = 'signin' | 'password-change';
const LABEL: Record<AttemptKind, string> = { signin: 'sign-in', 'password-change': 'password change' };

function tooMany(what: AttemptKind, retryAfterMs: number): AppError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', `Too many ${LABEL[what]} attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

/**
 * Takes one password attempt from the account's and the IP's budgets before the password is
 * checked. Each attempt claims its place in the window first (atomically, see countHit), and that
 * place decides: so a burst of parallel guesses cannot all read "under the limit" before any of
 * them is counted, and at most the limit of them ever reach the password check.
 * `accountKey` names the account (an email for sign-in, a user id for password change); a
 * successful attempt hands it back to clearAttempts, so only failures accumulate.
 */
export async function takePasswordAttempt(db: Db, opts: { what: AttemptKind; accountKey: string; ip: string | null }): Promise<void> {
  const accountLimit = accountLimitNow();
  const ipLimit = limitFromEnv('SIGNIN_LIMIT_PER_IP', SIGNIN_IP_LIMIT_DEFAULT);
  if (opts.ip) {
    const perIp = await countHit(db, `${opts.what}:ip:${opts.ip}`, ipLimit);
    if (perIp.count > ipLimit.max) {
      await auditLockout(db, opts, `ip ${opts.ip}`, `${opts.what}:ip:${opts.ip}`, ipLimit);
      throw tooMany(opts.what, perIp.retryAfterMs);
    }
  }
  const perAccount = await countHit(db, `${opts.what}:account:${opts.accountKey}`, accountLimit);
  if (perAccount.count > accountLimit.max) {
    await auditLockout(db, opts, `account ${opts.accountKey}`, `${opts.what}:account:${opts.accountKey}`, accountLimit);
    throw tooMany(opts.what, perAccount.retryAfterMs);
  }
}

/**
 * One audit entry per lockout, not per refused guess: the first refusal of a window claims a
 * one-slot limit of its own (same window), so a flood of guesses cannot flood the audit log.
 */
async function auditLockout(db: Db, opts: { what: AttemptKind; ip: string | null }, target: string, key: string, limit: Limit): Promise<void> {
  const first = await countHit(db, `audited:${key}`, { max: 1, windowMs: limit.windowMs });
  if (first.count !== 1) return;
  await audit(db, { actorId: null, action: 'auth.lockout', target: `${LABEL[opts.what]}: ${target}`, ip: opts.ip });
}

/** After a right password: the account's earlier failures no longer count. */
export async function clearAttempts(db: Db, opts: { what: AttemptKind; accountKey: string }): Promise<void> {
  await clearHits(db, `${opts.what}:account:${opts.accountKey}`, accountLimitNow());
}

function accountLimitNow(): Limit {
  return limitFromEnv('SIGNIN_LIMIT_PER_ACCOUNT', SIGNIN_ACCOUNT_LIMIT_DEFAULT);
}
