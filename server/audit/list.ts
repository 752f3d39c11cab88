import { ObjectId, type Db, type Filter } from 'mongodb';
import { collections, type AuditDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

export const AUDIT_PAGE_MAX = 100;
/** A CSV export holds at most this many entries (newest first); the filters narrow it further. */
export const AUDIT_CSV_MAX = 5_000;

export interface AuditFilter {
  action?: string;
  /** The actor's user id (hex). */
  actorId?: string;
}

export interface AuditRow {
  id: string;
  at: Date;
  actorId: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  reason: string | null;
  ip: string | null;
}

function filterOf(filter: AuditFilter, before?: string): Filter<AuditDoc> {
  const query: Filter<AuditDoc> = {};
  // Equality only, so the (action, _id) and (actorId, _id) indexes answer it.
  if (filter.action) query.action = filter.action;
  if (filter.actorId) {
    if (!ObjectId.isValid(filter.actorId)) throw new AppError('BAD_REQUEST', 'ACTOR_INVALID', 'The actor must be a user id.', 'actorId');
    query.actorId = new ObjectId(filter.actorId);
  }
  if (before) {
    if (!ObjectId.isValid(before)) throw new AppError('BAD_REQUEST', 'CURSOR_INVALID', 'The page cursor is not valid; start from the first page.', 'cursor');
    query._id = { $lt: new ObjectId(before) };
  }
  return query;
}

/** Actor names for a page, one $in read by _id. */
async function actorNames(db: Db, docs: AuditDoc[]): Promise<Map<string, string>> {
  const ids = [...new Map(docs.filter((d) => d.actorId).map((d) => [d.actorId!.toHexString(), d.actorId!])).values()];
  if (ids.length === 0) return new Map();
  const users = await collections(db).users.find({ _id: { $in: ids } }, { projection: { username: 1, email: 1 } }).toArray();
  return new Map(users.map((u) => [u._id.toHexString(), u.username ?? u.email]));
}

async function rowsOf(db: Db, docs: AuditDoc[]): Promise<AuditRow[]> {
  const names = await actorNames(db, docs);
  return docs.map((d) => {
    const actorId = d.actorId?.toHexString() ?? null;
    return { id: d._id!.toHexString(), at: d.at, actorId, actor: actorId ? (names.get(actorId) ?? null) : null, action: d.action, target: d.target ?? null, reason: d.reason ?? null, ip: d.ip ?? null };
  });
}

/** One page, newest first; `nextCursor` is the last entry's id while more may follow. */
export async function listAudit(db: Db, filter: AuditFilter, page: { cursor?: string; limit: number }): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, page.limit), AUDIT_PAGE_MAX);
  const docs = await collections(db).audit.find(filterOf(filter, page.cursor)).sort({ _id: -1 }).limit(limit + 1).toArray();
  const more = docs.length > limit;
  const rows = await rowsOf(db, docs.slice(0, limit));
  return { rows, nextCursor: more ? rows[rows.length - 1]!.id : null };
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  // Quote everything that could break the row, and defuse cells a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The newest AUDIT_CSV_MAX matching entries as CSV (a header row, then one row per entry). */
export async function auditCsv(db: Db, filter: AuditFilter): Promise<{ csv: string; rows: number; truncated: boolean }> {
  const docs = await collections(db).audit.find(filterOf(filter)).sort({ _id: -1 }).limit(AUDIT_CSV_MAX + 1).toArray();
  const truncated = docs.length > AUDIT_CSV_MAX;
  const rows = await rowsOf(db, docs.slice(0, AUDIT_CSV_MAX));
  const lines = ['id,at,actor_id,actor,action,target,reason,ip'];
  for (const r of rows) lines.push([r.id, r.at.toISOString(), r.actorId, r.actor, r.action, r.target, r.reason, r.ip].map(csvCell).join(','));
  return { csv: `${lines.join('\r\n')}\r\n`, rows: rows.length, truncated };
}
