import { ObjectId, type Db, type Filter } from 'mongodb';
import { rememberDisabled } from '../auth/account-disabled';
import { clearAttempts } from '../auth/attempt-limits';
import { adminEmails, effectiveRole } from '../auth/roles';
import { findUserById } from '../auth/users';
import { audit } from '../audit/audit';
import { disconnectUserEverywhere } from '../collab-bridge';
import { collections, type Role, type UserDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { jobsCollection } from '../jobs/collections';
import { machinesCollection } from '../machines/collections';
import { lastAdmin, otherActiveAdminExists } from './admins';

export const USER_PAGE_MAX = 50;

/** The administrator acting, as the audit log records them. */
export interface Actor {
  id: ObjectId;
  ip: string | null;
}

export interface AdminUserRow {
  id: string;
  email: string;
  username: string | null;
  role: Role;
  /** Whether the role comes from ADMIN_EMAILS (then it cannot be changed here). */
  roleFromEnv: boolean;
  createdAt: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
}

function rowOf(doc: UserDoc): AdminUserRow {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    username: doc.username ?? null,
    role: effectiveRole(doc.email, doc.role),
    roleFromEnv: adminEmails().has(doc.email.toLowerCase()),
    createdAt: doc.createdAt ?? null,
    disabledAt: doc.disabledAt ?? null,
    disabledReason: doc.disabledReason ?? null,
  };
}

export interface UserSearch {
  /** An exact email or username (any case); without it, everyone newest first. */
  query?: string;
  role?: Role;
  disabled?: boolean;
  cursor?: string;
  limit: number;
}

/**
 * FerretDB pushes down only equality, so a query is an exact match on email or usernameLower (both
 * uniquely indexed), and the list without one is a page of everyone newest first by _id. Role and
 * disabled narrow either; ADMIN_EMAILS admins count as admins whatever their stored role.
 */
export async function searchUsers(db: Db, search: UserSearch): Promise<{ rows: AdminUserRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(1, search.limit), USER_PAGE_MAX);
  const filter: Filter<UserDoc> = {};
  const query = search.query?.trim().toLowerCase();
  if (query) {
    if (query.includes('@')) filter.email = query;
    else filter.usernameLower = query;
  }
  const envAdmins = [...adminEmails()];
  if (search.role === 'admin') Object.assign(filter, envAdmins.length ? { $or: [{ role: 'admin' }, { email: { $in: envAdmins } }] } : { role: 'admin' });
  if (search.role === 'user') Object.assign(filter, { role: { $ne: 'admin' }, ...(envAdmins.length && !filter.email ? { email: { $nin: envAdmins } } : {}) });
  if (search.disabled === true) filter.disabledAt = { $ne: null };
  if (search.disabled === false) filter.disabledAt = null;
  if (search.cursor) {
    if (!ObjectId.isValid(search.cursor)) throw new AppError('BAD_REQUEST', 'CURSOR_INVALID', 'The page cursor is not valid; start from the first page.', 'cursor');
    filter._id = { $lt: new ObjectId(search.cursor) };
  }
  const docs = await collections(db).users.find(filter).sort({ _id: -1 }).limit(limit + 1).toArray();
  // The stored-role filter above is what the database narrows by; ADMIN_EMAILS has the last word.
  const rows = docs.slice(0, limit).map(rowOf).filter((r) => !search.role || r.role === search.role);
  return { rows, nextCursor: docs.length > limit ? rows[rows.length - 1]!.id : null };
}

function userNotFound(): AppError {
  return new AppError('NOT_FOUND', 'USER_NOT_FOUND', 'No such user.', 'userId');
}

async function loadUser(db: Db, userId: string): Promise<UserDoc> {
  const doc = await findUserById(db, userId);
  if (!doc) throw userNotFound();
  return doc;
}

function nameOf(doc: UserDoc): string {
  return doc.username ?? doc.email;
}

export interface AdminUserDetail extends AdminUserRow {
  counts: { models: number; datasets: number; machines: number; jobs: number; apiKeys: number };
  /** Integer minor units as strings (bigint does not travel as JSON). */
  wallet: { available: string; inEscrow: string; staked: string };
}

/** Each count is an equality on an indexed ownerId (or userId): an admin opens one person at a time. */
export async function userDetail(db: Db, userId: string): Promise<AdminUserDetail> {
  const doc = await loadUser(db, userId);
  const c = collections(db);
  const ownerId = doc._id;
  const [models, datasets, machines, jobs, apiKeys, wallet] = await Promise.all([
    c.models.countDocuments({ ownerId }),
    c.datasets.countDocuments({ ownerId }),
    machinesCollection(db).countDocuments({ ownerId, removedAt: null }),
    jobsCollection(db).countDocuments({ ownerId }),
    c.apiKeys.countDocuments({ userId: ownerId, revokedAt: null }),
    getLedger(db).then((ledger) => ledger.wallet(ownerId.toHexString())),
  ]);
  return {
    ...rowOf(doc),
    counts: { models, datasets, machines, jobs, apiKeys },
    wallet: { available: wallet.available.toString(), inEscrow: wallet.inEscrow.toString(), staked: wallet.staked.toString() },
  };
}

/**
 * Changes a stored role. Demoting is refused when it would leave no active admin; the check runs
 * again after the write (FerretDB has no transactions), and a demotion that raced another one
 * into leaving none is undone, so at least one admin always remains.
 */
export async function setUserRole(db: Db, actor: Actor, input: { userId: string; role: Role; reason: string }): Promise<{ changed: boolean; user: AdminUserRow }> {
  const doc = await loadUser(db, input.userId);
  if (adminEmails().has(doc.email.toLowerCase()) && input.role !== 'admin') {
    throw new AppError('CONFLICT', 'ROLE_FROM_ENV', `${nameOf(doc)} is an administrator through ADMIN_EMAILS; remove the address there to demote them.`, 'role');
  }
  const before = effectiveRole(doc.email, doc.role);
  if (before === input.role) return { changed: false, user: rowOf(doc) };
  const demoting = before === 'admin';
  if (demoting && !(await otherActiveAdminExists(db, doc._id))) throw lastAdmin();
  const { users } = collections(db);
  const after = await users.findOneAndUpdate({ _id: doc._id, role: doc.role === 'admin' ? 'admin' : { $ne: 'admin' } }, { $set: { role: input.role } }, { returnDocument: 'after' });
  if (!after) throw new AppError('CONFLICT', 'USER_CHANGED', 'Someone changed this user at the same time; reload and try again.');
  if (demoting && !(await otherActiveAdminExists(db, doc._id))) {
    await users.updateOne({ _id: doc._id, role: input.role }, { $set: { role: 'admin' } });
    throw lastAdmin();
  }
  await audit(db, { actorId: actor.id, action: 'user.role', target: `${nameOf(doc)}: ${before} → ${input.role}`, reason: input.reason, ip: actor.ip });
  return { changed: true, user: rowOf(after) };
}

/**
 * Disables an account: one conditional update sets disabledAt and bumps sessionVersion (every
 * session ends), API keys and machine credentials are refused where they are checked, and the
 * user's open collaboration sockets are closed here.
 */
export async function disableUser(db: Db, actor: Actor, input: { userId: string; reason: string }, now = new Date()): Promise<{ user: AdminUserRow; socketsClosed: number }> {
  const doc = await loadUser(db, input.userId);
  if (doc._id.equals(actor.id)) throw new AppError('BAD_REQUEST', 'CANNOT_DISABLE_SELF', 'You cannot disable your own account.', 'userId');
  const isAdmin = effectiveRole(doc.email, doc.role) === 'admin';
  if (isAdmin && !(await otherActiveAdminExists(db, doc._id))) throw lastAdmin();
  const { users } = collections(db);
  const after = await users.findOneAndUpdate(
    { _id: doc._id, disabledAt: null },
    { $set: { disabledAt: now, disabledReason: input.reason }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after' },
  );
  if (!after) throw new AppError('CONFLICT', 'ALREADY_DISABLED', `${nameOf(doc)} is already disabled.`);
  if (isAdmin && !(await otherActiveAdminExists(db, doc._id))) {
    // Raced another disable into leaving no admin: undo (the sessions it ended stay ended).
    await users.updateOne({ _id: doc._id }, { $set: { disabledAt: null, disabledReason: null } });
    throw lastAdmin();
  }
  rememberDisabled(doc._id, true);
  const socketsClosed = await disconnectUserEverywhere(doc._id.toHexString());
  await audit(db, { actorId: actor.id, action: 'user.disable', target: nameOf(doc), reason: input.reason, ip: actor.ip, at: now });
  return { user: rowOf(after), socketsClosed };
}

export async function enableUser(db: Db, actor: Actor, input: { userId: string; reason: string }): Promise<{ user: AdminUserRow }> {
  const doc = await loadUser(db, input.userId);
  const after = await collections(db).users.findOneAndUpdate({ _id: doc._id, disabledAt: { $ne: null } }, { $set: { disabledAt: null, disabledReason: null } }, { returnDocument: 'after' });
  if (!after) throw new AppError('CONFLICT', 'NOT_DISABLED', `${nameOf(doc)} is not disabled.`);
  rememberDisabled(doc._id, false);
  await audit(db, { actorId: actor.id, action: 'user.enable', target: nameOf(doc), reason: input.reason, ip: actor.ip });
  return { user: rowOf(after) };
}

/** Forgets the account's failed sign-in and password-change attempts of the current window. */
export async function resetLockout(db: Db, actor: Actor, input: { userId: string; reason: string }): Promise<{ reset: true }> {
  const doc = await loadUser(db, input.userId);
  await Promise.all([clearAttempts(db, { what: 'signin', accountKey: doc.email }), clearAttempts(db, { what: 'password-change', accountKey: doc._id.toHexString() })]);
  await audit(db, { actorId: actor.id, action: 'user.lockout_reset', target: nameOf(doc), reason: input.reason, ip: actor.ip });
  return { reset: true };
}
