import { ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/test-db';
import { authenticateApiKey, createApiKey, listApiKeys, revokeApiKey, sha256Hex } from './api-keys';

let db: Db;
const owner = new ObjectId();
const stranger = new ObjectId();
beforeAll(async () => {
  ({ db } = await useTestDatabase('apikeys'));
});

describe('API keys', () => {
  it('stores only the SHA-256 of a new key and lists it without the secret', async () => {
    const { key, summary } = await createApiKey(db, owner, 'laptop', null);
    expect(key).toMatch(/^cyx_[A-Za-z0-9_-]{43}$/);
    const doc = await db.collection('apiKeys').findOne({ _id: new ObjectId(summary.id) });
    expect(doc?.hash).toBe(sha256Hex(key));
    expect(JSON.stringify(doc)).not.toContain(key.slice(10));
    const listed = await listApiKeys(db, owner);
    expect(listed.map((k) => k.name)).toEqual(['laptop']);
    expect(JSON.stringify(listed)).not.toContain(key.slice(10));
  });

  it('authenticates a key and records when it was last used', async () => {
    const { key, summary } = await createApiKey(db, owner, 'runner', null);
    const caller = await authenticateApiKey(db, key);
    expect(caller.userId.equals(owner)).toBe(true);
    const listed = await listApiKeys(db, owner);
    expect(listed.find((k) => k.id === summary.id)?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('rejects unknown, malformed, revoked and expired keys with distinct codes', async () => {
    await expect(authenticateApiKey(db, 'cyx_' + 'A'.repeat(43))).rejects.toMatchObject({ code: 'INVALID_API_KEY', kind: 'UNAUTHORIZED' });
    await expect(authenticateApiKey(db, 'not-a-key')).rejects.toMatchObject({ code: 'INVALID_API_KEY' });

    const revoked = await createApiKey(db, owner, 'revoked', null);
    await revokeApiKey(db, owner, revoked.summary.id);
    await expect(authenticateApiKey(db, revoked.key)).rejects.toMatchObject({ code: 'API_KEY_REVOKED', kind: 'UNAUTHORIZED' });
    expect((await listApiKeys(db, owner)).map((k) => k.name)).not.toContain('revoked');

    const expired = await createApiKey(db, owner, 'expired', 1);
    await db.collection('apiKeys').updateOne({ _id: new ObjectId(expired.summary.id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(authenticateApiKey(db, expired.key)).rejects.toMatchObject({ code: 'API_KEY_EXPIRED', kind: 'UNAUTHORIZED' });
  });

  it('does not let one user revoke another user’s key', async () => {
    const { key, summary } = await createApiKey(db, owner, 'mine', null);
    await expect(revokeApiKey(db, stranger, summary.id)).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND', kind: 'NOT_FOUND' });
    await expect(revokeApiKey(db, stranger, 'zzz')).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND' });
    await expect(authenticateApiKey(db, key)).resolves.toMatchObject({ name: 'mine' });
  });
});
