import type { Db } from 'mongodb';
import { collections } from '../db/collections';

export interface Limit {
  max: number;
  windowMs: number;
}

export interface LimitState {
  count: number;
  retryAfterMs: number;
}

/**
 * Fixed-window counters in MongoDB, so every web process shares them. Each step is a single-document
 * conditional update (works on FerretDB and MongoDB alike); expired windows are reset in place and
 * pruned periodically by pruneExpiredHits (FerretDB v1 has no TTL indexes).
 */
export async function countHit(db: Db, key: string, limit: Limit, now = new Date()): Promise<LimitState> {
  const { rateLimits } = collections(db);
  const expiresAt = new Date(now.getTime() + limit.windowMs);
  await rateLimits.updateOne({ _id: key, expiresAt: { $lte: now } }, { $set: { count: 0, windowStart: now, expiresAt } });
  for (let attempt = 0; ; attempt++) {
    try {
      const doc = await rateLimits.findOneAndUpdate(
        { _id: key },
        { $inc: { count: 1 }, $setOnInsert: { windowStart: now, expiresAt } },
        { upsert: true, returnDocument: 'after' },
      );
      return stateOf(doc, now);
    } catch (error) {
      // Two first hits raced to insert the same key: the loser simply increments.
      if (attempt === 0 && (error as { code?: number }).code === 11000) continue;
      throw error;
    }
  }
}

export async function peekHits(db: Db, key: string, now = new Date()): Promise<LimitState> {
  const doc = await collections(db).rateLimits.findOne({ _id: key, expiresAt: { $gt: now } });
  return stateOf(doc, now);
}

export async function clearHits(db: Db, key: string): Promise<void> {
  await collections(db).rateLimits.deleteOne({ _id: key });
}

function stateOf(doc: { count: number; expiresAt: Date } | null, now: Date): LimitState {
  if (!doc) return { count: 0, retryAfterMs: 0 };
  return { count: doc.count, retryAfterMs: Math.max(0, doc.expiresAt.getTime() - now.getTime()) };
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
  if (!match) throw new Error(`${name} must look like "<max>/<seconds>", got "${raw}"`);
  return { max: Number(match[1]), windowMs: Number(match[2]) * 1000 };
}
