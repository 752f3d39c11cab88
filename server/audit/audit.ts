import { ObjectId, type Db } from 'mongodb';
import { collections, type AuditDoc } from '../db/collections';
import type { AuditAction } from './actions';

export { AUDIT_ACTIONS, type AuditAction } from './actions';

/** What one audit entry says: who did what to whom, why, from where. */
export interface AuditEntry {
  /** The person acting; null for events with no signed-in actor (a sign-in lockout). */
  actorId: ObjectId | null;
  /** Dotted and stable, e.g. 'user.disable' (AUDIT_ACTIONS lists them). */
  action: AuditAction;
  target?: string;
  reason?: string;
  ip?: string | null;
  at?: Date;
}

/**
 * Appends one entry. The log is append-only: nothing in the app updates or deletes an entry (no
 * procedure does; tests check the router offers none), so it is a plain insert with its own _id,
 * whose order is the log's order.
 */
export async function audit(db: Db, entry: AuditEntry): Promise<ObjectId> {
  const doc: AuditDoc = {
    _id: new ObjectId(),
    at: entry.at ?? new Date(),
    actorId: entry.actorId,
    action: entry.action,
    ...(entry.target !== undefined ? { target: entry.target } : {}),
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ip: entry.ip ?? null,
  };
  await collections(db).audit.insertOne(doc);
  return doc._id!;
}
