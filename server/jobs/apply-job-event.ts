import { ObjectId, type Db, type Filter } from 'mongodb';
import { jobsCollection, type JobDoc, type JobEventDoc } from './collections';
import { jobBusy, jobChanged, jobNotFound, jobRefused } from './job-errors';
import { appendJobEvents, carriedEvent, encodeCarriedEvent, jobEventId } from './job-events-log';
import { transition, type JobEffect, type JobEvent, type JobState } from './job-machine';
import { releaseUnit } from './unit-claims';

/** Reads that lose the race to another writer of the same job before the transition gives up. */
export const APPLY_ATTEMPTS = 5;

export interface ApplyOptions {
  /**
   * The version the caller decided on. Given, a job at any other version is refused (JOB_CHANGED)
   * instead of retried: the scheduler claimed a unit for the epoch that version implies, and lease
   * expiry judged that version's lease.
   */
  expectedVersion?: number;
  /**
   * Only while the lease has run out by this time: lease expiry passes its clock, so a renewal
   * (which moves leaseExpiresAt without a new version, see held-jobs.ts) that lands between the
   * expiry's read and its write wins.
   */
  leaseExpiredBy?: Date;
  /** Fields written in the same conditional update as the transition (a verified checkpoint with its 'checkpoint_verified', the result run with 'complete'). */
  alsoSet?: Partial<Pick<JobDoc, 'lastCheckpoint' | 'resultRunId'>>;
}

export interface AppliedTransition {
  job: JobDoc;
  event: JobEventDoc;
  /** Still to do besides the unit (free_unit is done here): the ledger and reputation steps read them from jobEvents. */
  effects: readonly JobEffect[];
}

export function jobStateOf(doc: JobDoc): JobState {
  return {
    status: doc.status,
    version: doc.version,
    leaseEpoch: doc.leaseEpoch,
    lease: doc.lease,
    excludedMachines: doc.excludedMachines,
    escrowed: doc.escrowed,
    failureReason: doc.failureReason,
  };
}

export function parseJobId(jobId: ObjectId | string): ObjectId {
  if (jobId instanceof ObjectId) return jobId;
  if (!/^[0-9a-f]{24}$/i.test(jobId)) throw jobNotFound();
  return new ObjectId(jobId);
}

/** One transition of a job as read: the conditional update that makes it and the event it logs (refusals throw). */
export interface PlannedTransition {
  result: { job: JobState; effects: readonly JobEffect[] };
  changes: Partial<JobDoc>;
  condition: Filter<JobDoc>;
  logged: JobEventDoc;
}

/**
 * What applyJobEvent writes for `event` on the job as read, without writing it: the scheduler plans
 * a batch of assigns with it and sends their updates together (assign-batch.ts).
 */
export function planJobTransition(doc: JobDoc, event: JobEvent, now: Date, options: ApplyOptions = {}): PlannedTransition {
  const _id = doc._id;
  if (options.expectedVersion !== undefined && doc.version !== options.expectedVersion) throw jobChanged(options.expectedVersion);
  const result = transition(jobStateOf(doc), event);
  if (!result.ok) throw jobRefused(result.code, result.message);
  const next = result.job;
  const logged: JobEventDoc = { _id: jobEventId(_id, next.version), jobId: _id, version: next.version, event, effects: [...result.effects], at: now };
  // A transition that keeps the lease leaves its stored fields alone, so a renewal that lands
  // between this read and the write below is not undone.
  const leaseFields = next.lease === doc.lease ? {} : { lease: next.lease, leaseExpiresAt: next.lease ? new Date(next.lease.expiresAt) : null, leaseMachineId: next.lease?.machineId ?? null };
  const changes = {
    ...options.alsoSet,
    status: next.status,
    version: next.version,
    leaseEpoch: next.leaseEpoch,
    ...leaseFields,
    excludedMachines: [...next.excludedMachines],
    escrowed: next.escrowed,
    failureReason: next.failureReason,
    // The first time it is waiting (approved): a job put back in the queue keeps its place.
    queuedAt: doc.queuedAt ?? (next.status === 'QUEUED' || next.status === 'ESCROWED' ? now : null),
    updatedAt: now,
    lastEventJson: encodeCarriedEvent(logged),
  } satisfies Partial<JobDoc>;
  const condition = options.leaseExpiredBy ? { _id, version: doc.version, leaseExpiresAt: { $lte: options.leaseExpiredBy } } : { _id, version: doc.version };
  return { result, changes, condition, logged };
}

/**
 * One transition of a stored job: read, transition(), then an updateOne conditional on {_id,
 * version}; a writer that lost the race reads again and retries (the event may be refused then).
 *
 * No transactions (FerretDB v1), so the order is: the job update carries its own event
 * (lastEventJson) — the transition and its record are one atomic write — then the event is appended
 * to jobEvents together with the previous version's carried event, in case the process that made
 * that one died before appending it (both inserts are idempotent on jobId:version). Last, the unit
 * a free_unit effect names is given back; a crash before that leaves an orphan claim, which
 * releaseOrphanClaims removes. The other effects (escrow, payments, slashes, reputation) are only
 * recorded here: the ledger step acts on them.
 */
export async function applyJobEvent(db: Db, jobId: ObjectId | string, event: JobEvent, now: Date, options: ApplyOptions = {}): Promise<AppliedTransition> {
  const _id = parseJobId(jobId);
  const jobs = jobsCollection(db);
  for (let attempt = 0; attempt < APPLY_ATTEMPTS; attempt++) {
    const doc = await jobs.findOne({ _id });
    if (!doc) throw jobNotFound();
    const { result, changes, condition, logged } = planJobTransition(doc, event, now, options);
    const { matchedCount } = await jobs.updateOne(condition, { $set: changes });
    if (matchedCount === 0) {
      if (options.expectedVersion !== undefined) throw jobChanged(options.expectedVersion);
      continue;
    }
    const previous = carriedEvent(doc);
    await appendJobEvents(db, previous ? [previous, logged] : [logged]);
    for (const effect of result.effects) {
      if (effect.type === 'free_unit' && doc.lease) await releaseUnit(db, effect.unitId, _id, doc.lease.epoch);
    }
    return { job: { ...doc, ...changes }, event: logged, effects: result.effects };
  }
  throw jobBusy();
}
