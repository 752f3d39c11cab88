import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKeyError } from '../db/duplicate-key';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface LimitState {
  /** Which hit of the window this was; over `max` when it is refused. */
  count: number;
  retryAfterMs: number;
}

/**
 * Fixed-window limits in the database, shared by every web process. A hit claims one numbered slot
 * of its window (`<key>@<window>#<n>`, n = 1..max) by inserting it: a unique _id holds however many
 * race, so at most `max` hits of a window get through. (Built this way while the embedded FerretDB
 * still lost concurrent $inc; the build we run now makes single-document writes atomic, see
 * server/db/counters.ts.) A plain $inc counter (`<key>@<window>`) says which slot to try first, so a
 * hit normally costs two writes; a counter that lags only costs extra probes, it never lets a hit
 * past the limit. Expired documents are pruned by pruneExpiredHits (FerretDB v1 has no TTL indexes).
 */
export async function countHit(db: Db, key: string, limit: Limit, now = new Date()): Promise<LimitState> {
  const { rateLimits } = collections(db);
  const window = windowOf(key, limit, now);
  const retryAfterMs = window.expiresAt.getTime() - now.getTime();
  let first = 1;
  try {
    const hint = await rateLimits.findOneAndUpdate(
      { _id: window.id },
      { $inc: { count: 1 }, $setOnInsert: { windowStart: window.start, expiresAt: window.expiresAt } },
      { upsert: true, returnDocument: 'after' },
    );
    first = Math.max(1, hint?.count ?? 1);
  } catch (error) {
    // Two first hits raced to create the hint: it is only a hint, start from the bottom.
    if (!isDuplicateKeyError(error)) throw error;
  }
  for (let slot = first; slot <= limit.max; slot++) {
    try {
      await rateLimits.insertOne({ _id: `${window.id}#${slot}`, count: slot, windowStart: window.start, expiresAt: window.expiresAt });
      return { count: slot, retryAfterMs };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  return { count: limit.max + 1, retryAfterMs };
}

/** Forgets the hits of a key in the current window (after a right password, say). */
export async function clearHits(db: Db, key: string, limit: Limit, now = new Date()): Promise<void> {
  const window = windowOf(key, limit, now);
  const ids = [window.id, ...Array.from({ length: limit.max }, (_, i) => `${window.id}#${i + 1}`)];
  await collections(db).rateLimits.deleteMany({ _id: { $in: ids } });
}

function windowOf(key: string, limit: Limit, now: Date): { id: string; start: Date; expiresAt: Date } {
  const index = Math.floor(now.getTime() / limit.windowMs);
  return { id: `${key}@${index}`, start: new Date(index * limit.windowMs), expiresAt: new Date((index + 1) * limit.windowMs) };
}

export async function pruneExpiredHits(db: Db, now = new Date()): Promise<number> {
  const result = await collections(db).rateLimits.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}

export function limitFromEnv(name: string, fallback: Limit): Limit {
  const raw = process.env[name];
  if (!raw) return fallback;
  // Format: "<max>/<seconds>", e.g. "5/900".
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match || Number(match[2]) === 0) throw new Error(`${name} must look like "<max>/<seconds>" with seconds > 0, got "${raw}"`);
  return { max: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}
