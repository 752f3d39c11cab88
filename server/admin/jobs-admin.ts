import { ObjectId, type Db, type Filter } from 'mongodb';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { collections } from '../db/collections';
import { jobsCollection, type JobDoc } from '../jobs/collections';
import { jobDetail, type JobDetail } from '../jobs/job-detail';
import { jobNotFound } from '../jobs/job-errors';
import { endedInFailure, JOB_STATUSES, type JobStatus } from '../jobs/job-machine';
import { withNames, type JobListItem } from '../jobs/job-views';
import { lookAtEscrow } from '../jobs/escrow-look';
import { withLedger } from '../wallet/money-error';

/**
 * The administrators' view of every network job: lists by state, the stuck ones and the failed
 * ones; one job's timeline, checkpoints, escrow and every ledger instruction made for it.
 */

export const ADMIN_JOB_VIEWS = ['all', 'stuck', 'failed'] as const;
export type AdminJobView = (typeof ADMIN_JOB_VIEWS)[number];
export const ADMIN_JOB_PAGE_MAX = 100;
/** A leased job silent this long (no report, no transition) is stuck unless the admin asks for another figure. */
export const DEFAULT_STUCK_MINUTES = 15;

export interface AdminJobRow extends JobListItem {
  /** The latest sign of work: the runner's last report or the last transition, whichever is newer (ISO). */
  lastActivityAt: string;
}

/** What "no progress" is measured from: heartbeats renew the lease without either, so they do not count. */
export function lastActivity(job: Pick<JobDoc, 'updatedAt' | 'progress'>): Date {
  const reported = job.progress?.at;
  return reported && reported > job.updatedAt ? reported : job.updatedAt;
}

/** A job holding a lease (ASSIGNED or RUNNING) with no report and no transition for `minutes`. */
export function isStuck(job: Pick<JobDoc, 'status' | 'updatedAt' | 'progress'>, minutes: number, now: Date): boolean {
  if (job.status !== 'ASSIGNED' && job.status !== 'RUNNING') return false;
  return now.getTime() - lastActivity(job).getTime() >= minutes * 60_000;
}

export interface AdminJobQuery {
  view: AdminJobView;
  status?: JobStatus;
  stuckMinutes?: number;
  /** A job id: the page starts after it (rows are newest first). */
  cursor?: string;
  limit: number;
}

export interface AdminJobPage {
  rows: AdminJobRow[];
  nextCursor: string | null;
  /** Jobs per state (one equality count each: status is indexed, FerretDB counts it without a scan). */
  counts: Record<JobStatus, number>;
  stuckMinutes: number;
}

const byStatus = (statuses: readonly JobStatus[]): Filter<JobDoc>[] => statuses.map((status) => ({ status }));

/**
 * Which documents a view reads: each is equality on the indexed status (FerretDB pushes nothing
 * else down), and the finer test (stuck for N minutes, a failure rather than a cancel) is applied
 * to what they return, exactly as the page shows it.
 */
function readFor(query: AdminJobQuery): Filter<JobDoc>[] {
  if (query.view === 'stuck') return byStatus(query.status ? [query.status] : ['ASSIGNED', 'RUNNING']);
  if (query.view === 'failed') return byStatus(query.status ? [query.status] : ['FAILED', 'REFUNDED']);
  return [query.status ? { status: query.status } : {}];
}

export async function listAdminJobs(db: Db, query: AdminJobQuery, now: Date): Promise<AdminJobPage> {
  const stuckMinutes = query.stuckMinutes ?? DEFAULT_STUCK_MINUTES;
  if (query.cursor !== undefined && !/^[0-9a-f]{24}$/i.test(query.cursor)) throw new AppError('BAD_REQUEST', 'CURSOR_INVALID', 'The page cursor is not a job id.', 'cursor');
  const jobs = jobsCollection(db);
  const [found, counts] = await Promise.all([
    Promise.all(readFor(query).map((filter) => jobs.find(filter, { projection: { lastEventJson: 0 } }).toArray())),
    Promise.all(JOB_STATUSES.map(async (status) => [status, await jobs.countDocuments({ status })] as const)),
  ]);
  let chosen = found.flat();
  if (query.view === 'stuck') chosen = chosen.filter((j) => isStuck(j, stuckMinutes, now));
  if (query.view === 'failed') chosen = chosen.filter((j) => endedInFailure(j));
  chosen.sort((a, b) => (a._id.toHexString() < b._id.toHexString() ? 1 : -1));
  if (query.cursor) chosen = chosen.filter((j) => j._id.toHexString() < query.cursor!);
  const limit = Math.min(Math.max(1, query.limit), ADMIN_JOB_PAGE_MAX);
  const page = chosen.slice(0, limit);
  const named = await withNames(db, page);
  return {
    rows: named.map((row, i) => ({ ...row, lastActivityAt: lastActivity(page[i]!).toISOString() })),
    nextCursor: chosen.length > limit ? page[page.length - 1]!._id.toHexString() : null,
    counts: Object.fromEntries(counts) as Record<JobStatus, number>,
    stuckMinutes,
  };
}

/** One ledger instruction made for the job (its key starts `job:<id>:`), with what it moved. */
export interface JobLedgerRow {
  seq: number | null;
  kind: string;
  key: string;
  at: string | null;
  /** The instruction's outcome events with an amount (escrow_created, escrow_released, escrow_refunded, node_slashed…), µCYX as text. */
  moves: { type: string; amount: string }[];
}

export interface AdminJobDetail extends JobDetail {
  owner: { id: string; name: string | null };
  escrow: { depositMicro: string; releasedMicro: string; refundedMicro: string; open: boolean } | null;
  ledger: JobLedgerRow[];
}

/**
 * Every instruction whose key starts `job:<id>:`: the keys are found in the ledger's live view (its
 * applied map holds every key that landed), then each one's log entry is one indexed equality read
 * for its sequence number and time. Oldest first.
 */
export async function jobLedgerRows(db: Db, jobId: ObjectId): Promise<JobLedgerRow[]> {
  const prefix = `job:${jobId.toHexString()}:`;
  const landed = await withLedger(async () =>
    (await getLedger(db)).inspect((state) => {
      const rows: { key: string; moves: JobLedgerRow['moves'] }[] = [];
      for (const [key, record] of state.applied) {
        if (!key.startsWith(prefix) || !record.outcome.ok) continue;
        const moves = record.outcome.events.flatMap((e) => ('amount' in e && typeof e.amount === 'bigint' ? [{ type: e.type, amount: e.amount.toString() }] : []));
        rows.push({ key, moves });
      }
      return rows;
    }),
  );
  const log = collections(db).ledgerLog;
  const entries = await Promise.all(landed.map((row) => log.findOne({ key: row.key }, { projection: { _id: 1, kind: 1, at: 1 } })));
  return landed
    .map((row, i) => ({ seq: entries[i]?._id ?? null, kind: entries[i]?.kind ?? row.key.split(':').at(-1)!, key: row.key, at: entries[i]?.at.toISOString() ?? null, moves: row.moves }))
    .sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
}

export async function adminJobDetail(db: Db, jobId: string): Promise<AdminJobDetail> {
  if (!/^[0-9a-f]{24}$/i.test(jobId)) throw jobNotFound();
  const job = await jobsCollection(db).findOne({ _id: new ObjectId(jobId) });
  if (!job) throw jobNotFound();
  const [detail, owner, escrow, ledger] = await Promise.all([
    jobDetail(db, job),
    collections(db).users.findOne({ _id: job.ownerId }, { projection: { username: 1, email: 1 } }),
    withLedger(() => lookAtEscrow(db, jobId)),
    jobLedgerRows(db, job._id),
  ]);
  return {
    ...detail,
    owner: { id: job.ownerId.toHexString(), name: owner ? (owner.username ?? owner.email) : null },
    escrow: escrow ? { depositMicro: escrow.deposit.toString(), releasedMicro: escrow.released.toString(), refundedMicro: escrow.refunded.toString(), open: escrow.open } : null,
    ledger,
  };
}
