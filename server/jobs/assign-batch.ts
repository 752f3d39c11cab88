import type { AnyBulkWriteOperation, Db } from 'mongodb';
import { bulkUpdate } from '../db/bulk-update';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { AppError } from '../errors/app-error';
import { planJobTransition, type PlannedTransition } from './apply-job-event';
import { jobsCollection, unitClaimsCollection, type JobDoc, type JobEventDoc, type UnitClaimDoc } from './collections';
import { appendJobEvents, carriedEvent } from './job-events-log';
import { releaseUnit } from './unit-claims';

export interface PlannedAssign {
  /** The job as the queue read it: the assign is conditional on this version. */
  job: JobDoc;
  machineId: string;
  unitId: string;
  expiresAt: number;
}

/** assigned: leased; unit_taken: another job holds the unit (nothing written); job_moved: the job changed since it was read (its claim released). */
export type AssignOutcome = 'assigned' | 'unit_taken' | 'job_moved';

/** Which inserts of an unordered insertMany failed on a unique index; any other failure is thrown. */
async function insertClaims(db: Db, claims: UnitClaimDoc[]): Promise<Set<number>> {
  const taken = new Set<number>();
  if (claims.length === 0) return taken;
  try {
    await unitClaimsCollection(db).insertMany(claims, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index?: number; err?: unknown }[];
    if (list.length === 0) throw error;
    for (const e of list) {
      if (typeof e.index !== 'number' || !(isDuplicateKeyError(e) || isDuplicateKeyError(e.err))) throw error;
      taken.add(e.index);
    }
  }
  return taken;
}

export interface AssignBatchOptions {
  /**
   * Given, the insertMany of events the queued jobs carried but had not logged (rare: their writer
   * died first) is not awaited but pushed here (the caller awaits it later, e.g. while the next
   * batch's claims go out).
   */
  pendingEvents?: Promise<void>[];
}

/**
 * Many scheduleOnce assignments in two round trips instead of two each, with the same two
 * conditional writes in the same order (see schedule-once.ts): every unit claim in one unordered
 * insertMany (a claim that fails on the unit's _id is a unit another job holds), then the won jobs'
 * 'assign' transitions (planJobTransition: the update applyJobEvent would make, conditional on the
 * version read) in one unordered bulkWrite. A bulkWrite answers only how many matched: when some
 * did not, each of those jobs is read again to tell the assigned from the moved (another scheduler
 * assigned it, or it was cancelled), whose claims are released. Answers one outcome per plan, in order.
 *
 * The assign event itself is not inserted into jobEvents here: the job document carries it
 * (lastEventJson, written by the same conditional update), every reader of the log adds the carried
 * event (jobTimeline, jobDetail, assignTimes), and the job's next transition, which always comes
 * (start, expiry, cancel), appends it with its own (applyJobEvent). That insert was a third of an
 * assignment's database statements, for an event nothing reads before the next one.
 */
export async function assignBatch(db: Db, plans: readonly PlannedAssign[], now: Date, options: AssignBatchOptions = {}): Promise<AssignOutcome[]> {
  const outcomes: AssignOutcome[] = plans.map(() => 'unit_taken');
  const epochOf = (p: PlannedAssign) => p.job.leaseEpoch + 1;
  const taken = await insertClaims(
    db,
    plans.map((p) => ({ _id: p.unitId, machineId: p.machineId, jobId: p.job._id, epoch: epochOf(p), claimedAt: now })),
  );
  const won: { i: number; planned: PlannedTransition }[] = [];
  const moved: number[] = [];
  for (const [i, p] of plans.entries()) {
    if (taken.has(i)) continue;
    try {
      won.push({ i, planned: planJobTransition(p.job, { type: 'assign', machineId: p.machineId, unitId: p.unitId, expiresAt: p.expiresAt }, now, { expectedVersion: p.job.version }) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      moved.push(i);
    }
  }
  if (won.length > 0) {
    const operations: AnyBulkWriteOperation<JobDoc>[] = won.map(({ planned }) => ({ updateOne: { filter: planned.condition, update: { $set: planned.changes } } }));
    const { matchedCount } = await bulkUpdate(jobsCollection(db), operations, { concurrency: 2 });
    let landed = won;
    if (matchedCount < won.length) {
      // Rare (schedulers racing for the same job): ask each job whether it now carries this assignment.
      const stored = await Promise.all(won.map(({ i }) => jobsCollection(db).findOne({ _id: plans[i]!.job._id }, { projection: { version: 1, lease: 1 } })));
      landed = won.filter(({ i, planned }, k) => {
        const doc = stored[k];
        const ours = doc?.version === planned.logged.version && doc.lease?.unitId === plans[i]!.unitId && doc.lease.epoch === epochOf(plans[i]!);
        if (!ours) moved.push(i);
        return ours;
      });
    }
    const events: JobEventDoc[] = [];
    for (const { i } of landed) {
      const job = plans[i]!.job;
      const previous = carriedEvent(job);
      // The event a queued (ESCROWED) job carries is in the log once its effects are marked done:
      // every transition into ESCROWED goes through applyJobEvent, which appends before
      // runJobEffects marks (settlePending, which marks from the carried event alone, sweeps no
      // ESCROWED job). Inserting it again is a refused duplicate, and one duplicate makes FerretDB v1
      // insert the whole insertMany one document at a time. A job whose writer may have died before
      // appending (not marked done) still carries it out here.
      if (previous && (job.effectsDoneVersion ?? 0) < previous.version) events.push(previous);
      outcomes[i] = 'assigned';
    }
    const appended = appendJobEvents(db, events);
    if (options.pendingEvents) {
      // The caller awaits it; this handler only keeps a failure before then from counting as unhandled.
      appended.catch(() => undefined);
      options.pendingEvents.push(appended);
    }
    else await appended;
  }
  await Promise.all(moved.map((i) => releaseUnit(db, plans[i]!.unitId, plans[i]!.job._id, epochOf(plans[i]!))));
  for (const i of moved) outcomes[i] = 'job_moved';
  return outcomes;
}
