import type { Db, ObjectId } from 'mongodb';
import type { Graph } from '../../compute/graph';

export type Role = 'user' | 'admin';

/** Shared with the Auth.js MongoDB adapter, which owns `name`, `email`, `image` and `emailVerified`. */
export interface UserDoc {
  _id: ObjectId;
  email: string;
  name?: string | null;
  username?: string;
  image?: string | null;
  emailVerified?: Date | null;
  passwordHash?: string;
  role?: Role;
  createdAt?: Date;
}

export interface ApiKeyDoc {
  _id: ObjectId;
  userId: ObjectId;
  name: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored. */
  hash: string;
  /** First characters of the key, so people can tell their keys apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface RateLimitDoc {
  _id: string;
  count: number;
  windowStart: Date;
  expiresAt: Date;
}

export interface AuditDoc {
  _id?: ObjectId;
  at: Date;
  actorId: ObjectId | null;
  action: string;
  target?: string;
  ip?: string | null;
}

export interface ModelDoc {
  _id: ObjectId;
  ownerId: ObjectId;
  name: string;
  description?: string;
  /** Derived JSON of the graph; the Yjs document (collab/) is the source of truth and refreshes it. */
  graph: Graph;
  /** Canvas positions (and labels) by node id, derived alongside the graph. */
  layout: Record<string, { x: number; y: number; label?: string }>;
  collaborators: { userId: ObjectId; role: 'editor' | 'viewer' }[];
  /** Bumped by every change of the access list: the guard for its read-modify-write updates. */
  rev?: number;
  createdAt: Date;
  updatedAt: Date;
}

export function collections(db: Db) {
  return {
    users: db.collection<UserDoc>('users'),
    apiKeys: db.collection<ApiKeyDoc>('apiKeys'),
    rateLimits: db.collection<RateLimitDoc>('rateLimits'),
    audit: db.collection<AuditDoc>('audit'),
    models: db.collection<ModelDoc>('models'),
    jobs: db.collection('jobs'),
    machines: db.collection('machines'),
    ledger: db.collection('ledger'),
  };
}
