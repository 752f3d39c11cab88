import type { Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { applyJobEvent } from './apply-job-event';
import { jobsCollection, type JobDoc } from './collections';
import { bestCandidate, explainCandidates, prepareUnit, type PreparedUnit } from './explain-candidates';
import { loadSchedulableUnits, unitIsOpen, type SchedulableUnit } from './schedulable-units';
import { claimUnit, releaseUnit } from './unit-claims';

/** How long an assignment lasts unless the runner renews it with its heartbeats (every 10 s): three missed beats. */
export const LEASE_MS = 30_000;

export interface Assignment {
  jobId: string;
  machineId: string;
  unitId: string;
  epoch: number;
  expiresAt: number;
  score: number;
}

export interface ScheduleResult {
  assigned: Assignment[];
  /** Queued jobs this pass left waiting, with why (explainCandidates' words over the open units; explainJob weighs them all). */
  waiting: { jobId: string; why: string }[];
  /** Units or jobs another scheduler took first while this one was deciding. */
  lostRaces: number;
}

/** Claims and assigns in flight at once in one pass: each is a database round trip, so they overlap. */
export const SCHEDULE_CONCURRENCY = 16;

function withClosed(why: string, closed: number): string {
  return closed === 0 ? why : `${why.replace(/\.$/, '')} (${closed} more are busy or unavailable).`;
}

/**
 * The open units of one pass, taken as jobs are decided: a taken unit leaves them and its machine's
 * queue grows by one (the units are this pass's copies, so the busy count is updated in place).
 */
class OpenUnits {
  private readonly byMachine = new Map<string, PreparedUnit[]>();
  private open: PreparedUnit[];
  /** Bumped on every change, so explanations of jobs nothing fits can be reused until then. */
  version = 0;

  constructor(units: readonly SchedulableUnit[]) {
    this.open = units.filter(unitIsOpen).map((u) => prepareUnit({ ...u }));
    for (const u of this.open) {
      const same = this.byMachine.get(u.unit.machineId);
      if (same) same.push(u);
      else this.byMachine.set(u.unit.machineId, [u]);
    }
  }

  get units(): readonly PreparedUnit[] {
    return this.open;
  }

  private busy(machineId: string, delta: number): void {
    for (const u of this.byMachine.get(machineId) ?? []) u.unit.machineBusyUnits += delta;
    this.version++;
  }

  take(unit: PreparedUnit): void {
    this.open = this.open.filter((u) => u !== unit);
    this.busy(unit.unit.machineId, 1);
  }

  /** A unit taken for a job that moved on meanwhile: its claim was released, so it is open again. */
  giveBack(unit: PreparedUnit): void {
    this.open.push(unit);
    this.busy(unit.unit.machineId, -1);
  }
}

type Placement = { assigned: Assignment } | { waiting: string } | { lost: true };


/**
 * One scheduling pass: queued (ESCROWED) jobs, oldest first, each to its best open unit.
 *
 * Jobs are decided one after another in queue order, in memory (bestCandidate, explainCandidates'
 * winner), and each decision takes its unit at once; the writes then run SCHEDULE_CONCURRENCY at a
 * time. Each assignment is two conditional writes: first the unit claim (an insert on the unit's id,
 * so no unit gets two jobs), then the job's 'assign' conditional on the version the decision was made
 * on (so no job is assigned twice and the lease gets the epoch the claim names). In that order a
 * crash between them leaves only a claimed, idle unit, which releaseOrphanClaims frees; the other
 * order could leave a job leased to a unit another job may then be given. When the claim is taken
 * (another scheduler got the unit) the job is decided again over what is left; when the assign loses
 * (another scheduler assigned the job, or it was cancelled) the claim is deleted, the unit is open
 * again, and the job is left to whoever moved it. Any number of schedulers may run this at once.
 */
export async function scheduleOnce(db: Db, now: Date): Promise<ScheduleResult> {
  const [queue, units] = await Promise.all([jobsCollection(db).find({ status: 'ESCROWED' }).toArray(), loadSchedulableUnits(db, now)]);
  queue.sort((a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  const open = new OpenUnits(units);
  const closed = () => units.length - open.units.length;
  // Why a job nothing fits waits: the same words for every job alike while the open units stay as they are.
  const whyCache = new Map<string, { version: number; why: string }>();
  const whyNothingFits = (job: JobDoc): string => {
    const key = JSON.stringify([job.requirements, job.priceCapMicro, job.excludedMachines]);
    const cached = whyCache.get(key);
    if (cached && cached.version === open.version) return cached.why;
    const why = withClosed(explainCandidates(job, open.units.map((u) => u.unit)).why, closed());
    whyCache.set(key, { version: open.version, why });
    return why;
  };

  let lostRaces = 0;
  async function place(job: JobDoc): Promise<Placement> {
    const epoch = job.leaseEpoch + 1;
    let lostAny = false;
    for (;;) {
      if (open.units.length === 0) return { waiting: lostAny ? 'Other schedulers took every unit that fits it.' : 'Every compute unit is busy or unavailable.' };
      const best = bestCandidate(job, open.units);
      if (!best) return { waiting: lostAny ? 'Other schedulers took every unit that fits it.' : whyNothingFits(job) };
      const { unit } = best;
      open.take(unit);
      const { machineId, unitId } = unit.unit;
      if (!(await claimUnit(db, { _id: unitId, machineId, jobId: job._id, epoch, claimedAt: now }))) {
        lostAny = true;
        lostRaces++;
        continue;
      }
      const expiresAt = now.getTime() + LEASE_MS;
      try {
        await applyJobEvent(db, job._id, { type: 'assign', machineId, unitId, expiresAt }, now, { expectedVersion: job.version, current: job });
      } catch (error) {
        await releaseUnit(db, unitId, job._id, epoch);
        open.giveBack(unit);
        if (!(error instanceof AppError)) throw error;
        // Moved on since the queue was read (assigned by another scheduler, cancelled): no longer ours to place.
        lostRaces++;
        return { lost: true };
      }
      return { assigned: { jobId: job._id.toHexString(), machineId, unitId, epoch, expiresAt, score: best.score } };
    }
  }

  const placements: Placement[] = new Array<Placement>(queue.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(SCHEDULE_CONCURRENCY, queue.length) }, async () => {
      while (next < queue.length) {
        const i = next++;
        placements[i] = await place(queue[i]!);
      }
    }),
  );
  const result: ScheduleResult = { assigned: [], waiting: [], lostRaces };
  for (const [i, p] of placements.entries()) {
    if ('assigned' in p) result.assigned.push(p.assigned);
    else if ('waiting' in p) result.waiting.push({ jobId: queue[i]!._id.toHexString(), why: p.waiting });
  }
  return result;
}
