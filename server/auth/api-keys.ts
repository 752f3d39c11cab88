import { createHash, randomBytes } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { collections, type ApiKeyDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

const KEY_PREFIX = 'cyx_';
export const MAX_KEYS_PER_USER = 25;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

function summary(doc: ApiKeyDoc): ApiKeySummary {
  return { id: doc._id.toHexString(), name: doc.name, prefix: doc.prefix, createdAt: doc.createdAt, lastUsedAt: doc.lastUsedAt, expiresAt: doc.expiresAt };
}

/** Creates a key; the plain key is returned this once and only its SHA-256 is stored. */
export async function createApiKey(
  db: Db,
  userId: ObjectId,
  name: string,
  expiresInDays: number | null,
): Promise<{ key: string; summary: ApiKeySummary }> {
  const { apiKeys } = collections(db);
  const active = await apiKeys.countDocuments({ userId, revokedAt: null });
  if (active >= MAX_KEYS_PER_USER) {
    throw new AppError('BAD_REQUEST', 'TOO_MANY_KEYS', `You can have at most ${MAX_KEYS_PER_USER} API keys. Revoke one first.`);
  }
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const now = new Date();
  const doc: ApiKeyDoc = {
    _id: new ObjectId(),
    userId,
    name,
    hash: sha256Hex(key),
    prefix: key.slice(0, KEY_PREFIX.length + 6),
    createdAt: now,
    lastUsedAt: null,
    expiresAt: expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null,
    revokedAt: null,
  };
  await apiKeys.insertOne(doc);
  return { key, summary: summary(doc) };
}

export async function listApiKeys(db: Db, userId: ObjectId): Promise<ApiKeySummary[]> {
  const docs = await collections(db).apiKeys.find({ userId, revokedAt: null }).sort({ createdAt: -1 }).toArray();
  return docs.map(summary);
}

export async function revokeApiKey(db: Db, userId: ObjectId, id: string): Promise<void> {
  const notFound = new AppError('NOT_FOUND', 'API_KEY_NOT_FOUND', 'No such API key.', 'id');
  if (!ObjectId.isValid(id)) throw notFound;
  // Scoped to the owner, so nobody can revoke another person's key by guessing its id.
  const result = await collections(db).apiKeys.updateOne(
    { _id: new ObjectId(id), userId, revokedAt: null },
    { $set: { revokedAt: new Date() } },
  );
  if (result.matchedCount === 0) throw notFound;
}

// Writing lastUsedAt on every call would make each request a write; once a minute is plenty.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a presented key to its owner, or explains why it is not accepted. */
export async function authenticateApiKey(db: Db, key: string): Promise<{ userId: ObjectId; keyId: ObjectId; name: string }> {
  const invalid = new AppError('UNAUTHORIZED', 'INVALID_API_KEY', 'The API key is not valid.');
  if (!key.startsWith(KEY_PREFIX) || key.length > 200) throw invalid;
  const { apiKeys } = collections(db);
  const doc = await apiKeys.findOne({ hash: sha256Hex(key) });
  if (!doc) throw invalid;
  if (doc.revokedAt) throw new AppError('UNAUTHORIZED', 'API_KEY_REVOKED', 'This API key has been revoked.');
  const now = new Date();
  if (doc.expiresAt && doc.expiresAt <= now) throw new AppError('UNAUTHORIZED', 'API_KEY_EXPIRED', 'This API key has expired.');
  if (!doc.lastUsedAt || now.getTime() - doc.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await apiKeys.updateOne({ _id: doc._id }, { $set: { lastUsedAt: now } });
  }
  return { userId: doc.userId, keyId: doc._id, name: doc.name };
}
