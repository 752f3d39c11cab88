import { randomBytes, randomInt } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { createApiKey, revokeApiKey, sha256Hex } from '../auth/api-keys';
import { countHit, limitFromEnv, type Limit } from '../auth/rate-limit';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { AppError } from '../errors/app-error';
import { deviceCodesCollection } from './collections';

export const DEVICE_CODE_TTL_S = 600;
export const DEVICE_POLL_INTERVAL_S = 2;
export const DEVICE_START_LIMIT_DEFAULT: Limit = { max: 10, windowMs: 10 * 60_000 };
/** Approvals per person: user codes are short, so guessing other people's is kept far out of reach. */
export const DEVICE_APPROVE_LIMIT_DEFAULT: Limit = { max: 20, windowMs: 10 * 60_000 };
export const DEVICE_LOGIN_KEY_NAME = 'node-runner (device login)';
/** No vowels or look-alikes (0/O, 1/I): codes are read off one screen and typed on another. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

export interface DeviceStart {
  deviceCode: string;
  userCode: string;
  verificationUrl: string;
  expiresInS: number;
  intervalS: number;
}

function newUserCode(): string {
  const pick = () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return `${Array.from({ length: 4 }, pick).join('')}-${Array.from({ length: 4 }, pick).join('')}`;
}

export function normalizeUserCode(raw: string): string {
  const letters = raw.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : raw.trim().toUpperCase();
}

/** Starts a device login for a runner: rate-limited per IP, since anyone may call it. */
export async function startDeviceLogin(db: Db, opts: { ip: string | null; origin: string; now: Date }): Promise<DeviceStart> {
  const limit = limitFromEnv('DEVICE_LOGIN_LIMIT_PER_IP', DEVICE_START_LIMIT_DEFAULT);
  const hit = await countHit(db, `device-login:ip:${opts.ip ?? 'unknown'}`, limit, opts.now);
  if (hit.count > limit.max) {
    const minutes = Math.max(1, Math.ceil(hit.retryAfterMs / 60_000));
    throw new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', `Too many device logins from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  // FerretDB v1 has no TTL indexes: codes past their expiry are cleared here, where they are made
  // (starts are rate-limited, so this collection stays small and the range scan cheap).
  await deviceCodesCollection(db).deleteMany({ expiresAt: { $lte: new Date(opts.now.getTime() - DEVICE_CODE_TTL_S * 1000) } });
  const deviceCode = randomBytes(32).toString('base64url');
  // A user code colliding with a live one is refused by the unique index: draw another.
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await deviceCodesCollection(db).insertOne({
        _id: sha256Hex(deviceCode),
        userCode,
        createdAt: opts.now,
        expiresAt: new Date(opts.now.getTime() + DEVICE_CODE_TTL_S * 1000),
        approvedBy: null,
        usedAt: null,
      });
      return { deviceCode, userCode, verificationUrl: `${opts.origin}/machines/connect?code=${userCode}`, expiresInS: DEVICE_CODE_TTL_S, intervalS: DEVICE_POLL_INTERVAL_S };
    } catch (error) {
      if (!isDuplicateKeyError(error) || attempt >= 4) throw error;
    }
  }
}

const expired = () => new AppError('BAD_REQUEST', 'DEVICE_CODE_EXPIRED', 'This login code has expired. Start the runner\'s login again.');

/** The signed-in person approves the code their runner printed. */
export async function approveDeviceLogin(db: Db, userId: ObjectId, rawUserCode: string, now: Date): Promise<{ approved: true }> {
  const limit = limitFromEnv('DEVICE_APPROVE_LIMIT_PER_USER', DEVICE_APPROVE_LIMIT_DEFAULT);
  const hit = await countHit(db, `device-approve:user:${userId.toHexString()}`, limit, now);
  if (hit.count > limit.max) {
    const minutes = Math.max(1, Math.ceil(hit.retryAfterMs / 60_000));
    throw new AppError('TOO_MANY_REQUESTS', 'RATE_LIMITED', `Too many login codes tried. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  }
  const userCode = normalizeUserCode(rawUserCode);
  const codes = deviceCodesCollection(db);
  const doc = await codes.findOne({ userCode });
  if (!doc) throw new AppError('NOT_FOUND', 'DEVICE_CODE_NOT_FOUND', `No runner is waiting with the code ${userCode}. Check it against the one the runner printed.`, 'userCode');
  if (doc.expiresAt <= now) throw expired();
  if (doc.usedAt || (doc.approvedBy && !doc.approvedBy.equals(userId))) {
    throw new AppError('BAD_REQUEST', 'DEVICE_CODE_USED', 'This login code was already used.', 'userCode');
  }
  if (!doc.approvedBy) {
    const result = await codes.updateOne({ _id: doc._id, approvedBy: null }, { $set: { approvedBy: userId } });
    if (result.matchedCount === 0) throw new AppError('BAD_REQUEST', 'DEVICE_CODE_USED', 'This login code was already used.', 'userCode');
  }
  return { approved: true };
}

export type DevicePoll = { status: 'pending' } | { status: 'approved'; apiKey: string };

/**
 * The runner asks whether its code was approved. The API key is made before the code is marked
 * used (conditionally, once): a poll that loses that race revokes the key it made, so exactly one
 * poll ever answers a key and no unused key is left behind.
 */
export async function pollDeviceLogin(db: Db, deviceCode: string, now: Date): Promise<DevicePoll> {
  const codes = deviceCodesCollection(db);
  const doc = await codes.findOne({ _id: sha256Hex(deviceCode) });
  if (!doc) throw new AppError('BAD_REQUEST', 'DEVICE_CODE_INVALID', 'This login code is not known. Start the runner\'s login again.', 'deviceCode');
  if (doc.usedAt) throw new AppError('BAD_REQUEST', 'DEVICE_CODE_USED', 'This login code was already used; its API key was answered once.', 'deviceCode');
  if (doc.expiresAt <= now) throw expired();
  if (!doc.approvedBy) return { status: 'pending' };
  const { key, summary } = await createApiKey(db, doc.approvedBy, DEVICE_LOGIN_KEY_NAME, null);
  const result = await codes.updateOne({ _id: doc._id, usedAt: null }, { $set: { usedAt: now } });
  if (result.matchedCount === 0) {
    await revokeApiKey(db, doc.approvedBy, summary.id);
    throw new AppError('BAD_REQUEST', 'DEVICE_CODE_USED', 'This login code was already used; its API key was answered once.', 'deviceCode');
  }
  return { status: 'approved', apiKey: key };
}
