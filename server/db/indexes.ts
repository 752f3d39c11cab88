import type { Db } from 'mongodb';
import { ensureJobIndexes } from '../jobs/collections';
import { ensureMachineIndexes } from '../machines/collections';
import { ensureVersionIndexes } from '../models/versions-collection';
import { ensureRunIndexes } from '../runs/collection';

/** Creates every index the app relies on; safe to run at each start. */
export async function ensureIndexes(db: Db): Promise<void> {
  await Promise.all([
    ensureRunIndexes(db),
    ensureMachineIndexes(db),
    ensureJobIndexes(db),
    ensureVersionIndexes(db),
    db.collection('users').createIndex({ email: 1 }, { unique: true, name: 'email_unique' }),
    db.collection('users').createIndex({ username: 1 }, { unique: true, sparse: true, name: 'username_unique' }),
    db.collection('users').createIndex({ usernameLower: 1 }, { unique: true, sparse: true, name: 'username_lower_unique' }),
    db.collection('accounts').createIndex({ provider: 1, providerAccountId: 1 }, { unique: true, name: 'provider_account' }),
    db.collection('accounts').createIndex({ userId: 1 }, { name: 'user' }),
    db.collection('apiKeys').createIndex({ hash: 1 }, { unique: true, name: 'hash_unique' }),
    db.collection('apiKeys').createIndex({ userId: 1, createdAt: -1 }, { name: 'user_created' }),
    // FerretDB v1 has no TTL indexes: expired counters are pruned by pruneExpiredHits instead.
    db.collection('rateLimits').createIndex({ expiresAt: 1 }, { name: 'expiry' }),
    db.collection('audit').createIndex({ at: -1 }, { name: 'at' }),
    // The audit log's filters are equality on one field, paged newest first by _id.
    db.collection('audit').createIndex({ action: 1, _id: -1 }, { name: 'action_newest' }),
    db.collection('audit').createIndex({ actorId: 1, _id: -1 }, { name: 'actor_newest' }),
    db.collection('models').createIndex({ ownerId: 1, updatedAt: -1 }, { name: 'owner_updated' }),
    db.collection('modelMembers').createIndex({ modelId: 1, userId: 1 }, { unique: true, name: 'model_user' }),
    db.collection('modelMembers').createIndex({ userId: 1, listKey: -1 }, { name: 'user_list' }),
    db.collection('modelMembers').createIndex({ ownerId: 1, userId: 1 }, { name: 'owner_user' }),
    db.collection('yjsUpdates').createIndex({ modelId: 1, seq: 1 }, { name: 'model_seq' }),
    db.collection('datasets').createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner_created' }),
    // datasets.list pages newest first by _id; the orphan sweeper reads previews by creation time.
    db.collection('datasets').createIndex({ ownerId: 1, _id: -1 }, { name: 'owner_newest' }),
    db.collection('datasetPreviews').createIndex({ createdAt: 1 }, { name: 'created' }),
    db.collection('models').createIndex({ datasetId: 1, ownerId: 1 }, { name: 'dataset_owner' }),
    db.collection('jobs').createIndex({ ownerId: 1, createdAt: -1 }, { name: 'owner_created' }),
    db.collection('machines').createIndex({ ownerId: 1 }, { name: 'owner' }),
    // The ledger log's _id is its sequence; keys are unique so a repeated instruction can never be logged twice.
    db.collection('ledgerLog').createIndex({ key: 1 }, { unique: true, name: 'key_unique' }),
    db.collection('ledgerLog').createIndex({ parties: 1, _id: -1 }, { name: 'parties_seq' }),
    db.collection('ledgerLog').createIndex({ page: 1 }, { name: 'page' }),
  ]);
}
