import { readCounters } from '../../db/counters';
import { collections } from '../../db/collections';
import { toPublicUser } from '../../auth/users';
import { z } from 'zod';
import { getLedger } from '../../ledger';
import { adminMint } from '../../wallet/admin-mint';
import { withLedger } from '../../wallet/money-error';
import type { Caller } from '../context';
import { adminProcedure, router } from '../init';
import { AUDIT_ACTIONS } from '../../audit/actions';
import { AUDIT_PAGE_MAX, auditCsv, listAudit } from '../../audit/list';
import { reasonSchema } from '../../admin/reason';
import { disableUser, enableUser, resetLockout, searchUsers, setUserRole, userDetail, USER_PAGE_MAX } from '../../admin/users';
import { INSTRUCTION_KINDS } from '../../../programs';
import { browseLog, ledgerOverview, LOG_BROWSE_MAX } from '../../admin/ledger';
import { healthReport } from '../../admin/health';
import { listFleet, MACHINE_FILTERS, MACHINE_PAGE_MAX } from '../../admin/machines';
import { adminSetMaintenance, banMachine, unbanMachine } from '../../machines/admin-actions';
import { explainJob } from '../../jobs/explain-job';
import { JOB_STATUSES } from '../../jobs/job-machine';
import { ADMIN_JOB_PAGE_MAX, ADMIN_JOB_VIEWS, adminJobDetail, listAdminJobs } from '../../admin/jobs-admin';
import { adminCancelJob, adminInvalidateJob, adminRequeueJob } from '../../admin/job-actions';

/** Money the administrators move by hand, and a full check of the ledger. */
const ledgerRouter = router({
  mint: adminProcedure
    .input(
      z.object({
        to: z.string().trim().min(1, 'Name the username or email to mint to.').max(254),
        amount: z.string().trim().min(1, 'Type an amount of CYX.').max(32),
        reason: z.string().trim().min(3, 'Say why (at least 3 characters); the audit log keeps it.').max(200),
        requestId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _.'),
      }),
    )
    .mutation(({ ctx, input }) => adminMint(ctx.db, { id: ctx.caller.user._id, ip: ctx.ip }, input)),

  /** Replays the whole log from nothing: supply, every invariant, whether it matches the live view, and how long it took. */
  verify: adminProcedure.mutation(async ({ ctx }) => {
    const report = await withLedger(async () => (await getLedger(ctx.db)).verify());
    return {
      instructions: report.instructions,
      supply: { minted: report.supply.minted.toString(), held: report.supply.held.toString() },
      invariants: report.invariants.map((i) => ({ name: i.name, ok: i.ok, ...(i.detail ? { detail: i.detail } : {}) })),
      matchesLive: report.matchesLive,
      ms: report.ms,
    };
  }),

  /** Supply and every invariant over the live view, system accounts, escrow and stake totals. */
  overview: adminProcedure.query(({ ctx }) => ledgerOverview(ctx.db)),

  /** The instruction log, newest first; an exact key or sequence number finds one entry. */
  log: adminProcedure
    .input(
      z.object({
        kind: z.enum(INSTRUCTION_KINDS as [string, ...string[]], { error: `Choose one of: ${INSTRUCTION_KINDS.join(', ')}.` }).optional(),
        key: z.string().trim().min(1).max(200).optional(),
        seq: z.number().int().min(1).optional(),
        before: z.number().int().min(2).optional(),
        limit: z.number().int().min(1).max(LOG_BROWSE_MAX).default(50),
      }),
    )
    .query(({ ctx, input }) => browseLog(ctx.db, { ...input, kind: input.kind as (typeof INSTRUCTION_KINDS)[number] | undefined })),
});

const userId = z.string().trim().min(1, 'Name the user.').max(64);
const actorOf = (ctx: { caller: Caller; ip: string | null }) => ({ id: ctx.caller.user._id, ip: ctx.ip });

/** People: find, open, and act on one (each action says why and is audited). */
const usersRouter = router({
  search: adminProcedure
    .input(
      z.object({
        query: z.string().trim().max(254).optional(),
        role: z.enum(['user', 'admin']).optional(),
        disabled: z.boolean().optional(),
        cursor: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(USER_PAGE_MAX).default(25),
      }),
    )
    .query(({ ctx, input }) => searchUsers(ctx.db, input)),
  detail: adminProcedure.input(z.object({ userId })).query(({ ctx, input }) => userDetail(ctx.db, input.userId)),
  setRole: adminProcedure
    .input(z.object({ userId, role: z.enum(['user', 'admin']), reason: reasonSchema }))
    .mutation(({ ctx, input }) => setUserRole(ctx.db, actorOf(ctx), input)),
  disable: adminProcedure.input(z.object({ userId, reason: reasonSchema })).mutation(({ ctx, input }) => disableUser(ctx.db, actorOf(ctx), input, ctx.now())),
  enable: adminProcedure.input(z.object({ userId, reason: reasonSchema })).mutation(({ ctx, input }) => enableUser(ctx.db, actorOf(ctx), input)),
  resetLockout: adminProcedure.input(z.object({ userId, reason: reasonSchema })).mutation(({ ctx, input }) => resetLockout(ctx.db, actorOf(ctx), input)),
});

const machineId = z.string().trim().min(1, 'Name the machine.').max(64);
const requestId = z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _.');

/** Every provider's machine, and the actions that keep the fleet honest (each says why and is audited). */
const machinesRouter = router({
  list: adminProcedure
    .input(
      z.object({
        status: z.enum(MACHINE_FILTERS, { error: `Choose one of: ${MACHINE_FILTERS.join(', ')}.` }).optional(),
        ownerId: z.string().trim().max(64).optional(),
        cursor: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(MACHINE_PAGE_MAX).default(50),
      }),
    )
    .query(({ ctx, input }) => listFleet(ctx.db, { ...input, ownerId: input.ownerId || undefined }, ctx.now())),
  setMaintenance: adminProcedure
    .input(z.object({ machineId, on: z.boolean(), reason: reasonSchema }))
    .mutation(({ ctx, input }) => adminSetMaintenance(ctx.db, actorOf(ctx), input)),
  ban: adminProcedure.input(z.object({ machineId, reason: reasonSchema, requestId })).mutation(({ ctx, input }) => banMachine(ctx.db, actorOf(ctx), input, ctx.now())),
  unban: adminProcedure.input(z.object({ machineId, reason: reasonSchema, requestId })).mutation(({ ctx, input }) => unbanMachine(ctx.db, actorOf(ctx), input, ctx.now())),
  /** The scheduler's score breakdown for one job against every unit: read-only. */
  explainJob: adminProcedure.input(z.object({ jobId: z.string().trim().min(1, 'Name the job.').max(64) })).query(({ ctx, input }) => explainJob(ctx.db, input.jobId, ctx.now())),
});

const jobId = z.string().trim().min(1, 'Name the job.').max(64);

/** Every network job: by state, stuck or failed; one job's timeline and money; actions that say why and are audited. */
const jobsRouter = router({
  list: adminProcedure
    .input(
      z.object({
        view: z.enum(ADMIN_JOB_VIEWS, { error: `Choose one of: ${ADMIN_JOB_VIEWS.join(', ')}.` }).default('all'),
        status: z.enum(JOB_STATUSES, { error: `Choose one of: ${JOB_STATUSES.join(', ')}.` }).optional(),
        stuckMinutes: z.number({ error: 'Give the minutes without progress as a number.' }).int('Give whole minutes.').min(1, 'At least 1 minute.').max(10_080, 'At most a week (10080 minutes).').optional(),
        cursor: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(ADMIN_JOB_PAGE_MAX).default(50),
      }),
    )
    .query(({ ctx, input }) => listAdminJobs(ctx.db, input, ctx.now())),
  detail: adminProcedure.input(z.object({ jobId })).query(({ ctx, input }) => adminJobDetail(ctx.db, input.jobId)),
  cancel: adminProcedure.input(z.object({ jobId, reason: reasonSchema })).mutation(({ ctx, input }) => adminCancelJob(ctx.db, actorOf(ctx), input, ctx.now())),
  requeue: adminProcedure.input(z.object({ jobId, reason: reasonSchema })).mutation(({ ctx, input }) => adminRequeueJob(ctx.db, actorOf(ctx), input, ctx.now())),
  invalidate: adminProcedure.input(z.object({ jobId, reason: reasonSchema })).mutation(({ ctx, input }) => adminInvalidateJob(ctx.db, actorOf(ctx), input, ctx.now())),
});

const auditFilter = {
  action: z.enum(AUDIT_ACTIONS, { error: `Choose one of: ${AUDIT_ACTIONS.join(', ')}.` }).optional(),
  actorId: z.string().trim().max(64).optional(),
};

/** The audit log is read-only here: there is deliberately no procedure that changes an entry. */
const auditRouter = router({
  list: adminProcedure
    .input(z.object({ ...auditFilter, cursor: z.string().max(64).optional(), limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(50) }))
    .query(({ ctx, input }) => listAudit(ctx.db, { action: input.action, actorId: input.actorId || undefined }, { cursor: input.cursor, limit: input.limit })),
  csv: adminProcedure.input(z.object(auditFilter)).query(({ ctx, input }) => auditCsv(ctx.db, { action: input.action, actorId: input.actorId || undefined })),
});

export const adminRouter = router({
  ledger: ledgerRouter,
  users: usersRouter,
  audit: auditRouter,
  machines: machinesRouter,
  jobs: jobsRouter,
  /** Database, collaboration, scheduler, heartbeats and per-procedure API figures, live. */
  health: adminProcedure.query(({ ctx }) => healthReport(ctx.db, ctx.now())),
  /** Platform totals are counters (counting whole collections would read every document). */
  overview: adminProcedure.query(async ({ ctx }) => {
    const c = collections(ctx.db);
    const [counts, recent] = await Promise.all([readCounters(ctx.db), c.users.find({}).sort({ createdAt: -1 }).limit(20).toArray()]);
    return { counts: { users: counts.users, models: counts.models, jobs: counts.jobs, machines: counts.machines }, recentUsers: recent.map(toPublicUser) };
  }),
});
