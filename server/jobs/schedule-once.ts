import type { Db } from 'mongodb';
import { msFromEnv } from '../machines/status';
import { assignBatch, type AssignOutcome, type PlannedAssign } from './assign-batch';
import { jobsCollection, type JobDoc } from './collections';
import { bestCandidate, explainCandidates, prepareUnit, type PreparedUnit } from './explain-candidates';
import { loadSchedulableUnits, unitIsOpen, type SchedulableUnit } from './schedulable-units';

/** How long an assignment lasts unless the runner renews it with its heartbeats (every 10 s): three missed beats. */
export const LEASE_MS = 30_000;

/**
 * The lease length in force: LEASE_MS, or CYXWIZ_JOB_LEASE_MS (read at each call, like the machines'
 * online window) where runners beat faster, e.g. tests that kill a runner and wait for its lease.
 */
export function leaseMs(): number {
  return msFromEnv('CYXWIZ_JOB_LEASE_MS', LEASE_MS);
}

export interface Assignment {
  jobId: string;
  machineId: string;
  unitId: string;
  epoch: number;
  expiresAt: number;
  score: number;
  /** Date.now() when its batch's conditional write came back: from then on its machine's heartbeat hands it the job. */
  assignedAt: number;
}

export interface ScheduleResult {
  assigned: Assignment[];
  /** Queued jobs this pass left waiting, with why (explainCandidates' words over the open units; explainJob weighs them all). */
  waiting: { jobId: string; why: string }[];
  /** Units or jobs another scheduler took first while this one was deciding. */
  lostRaces: number;
}

/**
 * Assignments written together (assignBatch: one insertMany of claims, the assigns 20 to a command
 * through bulkUpdate; each assign event stays on its job document until the job's next transition
 * logs it), in queue order. 200 once hung FerretDB v1: one update command of 50 or more matching
 * statements never answers there (see server/db/bulk-update.ts), which bulkUpdate now avoids.
 */
export const SCHEDULE_BATCH = 200;

/**
 * Batches written at once: while one batch's job updates are in FerretDB, the next one's claims
 * (another collection) go out, so the database is not idle between a batch's round trips.
 * The second batch is decided over the units the first took, before the first's outcomes are in:
 * a job of the first that lost its unit is decided again after it, as before.
 */
export const BATCHES_IN_FLIGHT = 2;

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

/**
 * One scheduling pass: queued (ESCROWED) jobs, oldest first, each to its best open unit.
 *
 * Jobs are decided one after another in queue order, in memory (bestCandidate, explainCandidates'
 * winner), each decision taking its unit at once, and written SCHEDULE_BATCH at a time (assignBatch).
 * Each assignment is two conditional writes: first the unit claim (an insert on the unit's id, so
 * no unit gets two jobs), then the job's 'assign' conditional on the version the decision was made
 * on (so no job is assigned twice and the lease gets the epoch the claim names). In that order a
 * crash between them leaves only a claimed, idle unit, which releaseOrphanClaims frees; the other
 * order could leave a job leased to a unit another job may then be given. When the claim is taken
 * (another scheduler got the unit) the job is decided again, first in the next batch, over what is
 * left; when the assign loses (another scheduler assigned the job, or it was cancelled) the claim is
 * deleted, the unit is open again, and the job is left to whoever moved it. Any number of
 * schedulers may run this at once.
 */
export async function scheduleOnce(db: Db, now: Date): Promise<ScheduleResult> {
  const [queue, units] = await Promise.all([jobsCollection(db).find({ status: 'ESCROWED' }).toArray(), loadSchedulableUnits(db, now)]);
  queue.sort((a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  const open = new OpenUnits(units);
  const result: ScheduleResult = { assigned: [], waiting: [], lostRaces: 0 };
  // Why a job nothing fits waits: the same words for every job alike while the open units stay as they are.
  const whyCache = new Map<string, { version: number; why: string }>();
  const whyNothingFits = (job: JobDoc): string => {
    const key = JSON.stringify([job.requirements, job.priceCapMicro, job.excludedMachines]);
    const cached = whyCache.get(key);
    if (cached && cached.version === open.version) return cached.why;
    const why = withClosed(explainCandidates(job, open.units.map((u) => u.unit)).why, units.length - open.units.length);
    whyCache.set(key, { version: open.version, why });
    return why;
  };
  /** Jobs whose unit another scheduler claimed first: decided again before the rest of the queue. */
  const again: JobDoc[] = [];
  const lostAUnit = new Set<JobDoc>();
  let next = 0;
  const expiresAt = now.getTime() + leaseMs();
  // Events a batch's jobs carried unlogged go out while the next batch's claims and assigns do; all are in before the pass answers.
  const pendingEvents: Promise<void>[] = [];
  type Decided = { plan: PlannedAssign; unit: PreparedUnit; score: number };
  const settle = (batch: Decided[], outcomes: AssignOutcome[], assignedAt: number) => {
    for (const [i, outcome] of outcomes.entries()) {
      const { plan, unit, score } = batch[i]!;
      if (outcome === 'assigned') {
        result.assigned.push({ jobId: plan.job._id.toHexString(), machineId: plan.machineId, unitId: plan.unitId, epoch: plan.job.leaseEpoch + 1, expiresAt, score, assignedAt });
        continue;
      }
      result.lostRaces++;
      if (outcome === 'unit_taken') {
        lostAUnit.add(plan.job);
        again.push(plan.job);
      } else {
        // Moved on since the queue was read (assigned by another scheduler, cancelled): no longer ours to place.
        open.giveBack(unit);
      }
    }
  };
  /** Batches written but not yet settled, oldest first; each settles after the one before it, so outcomes land in queue order. */
  const inFlight: Promise<void>[] = [];
  while (again.length > 0 || next < queue.length || inFlight.length > 0) {
    if (again.length === 0 && next >= queue.length) {
      // Nothing left to decide until the batches in flight say which jobs lost their unit.
      await inFlight.shift();
      continue;
    }
    const batch: Decided[] = [];
    while (batch.length < SCHEDULE_BATCH && (again.length > 0 || next < queue.length)) {
      const job = again.shift() ?? queue[next++]!;
      const jobId = job._id.toHexString();
      const best = open.units.length === 0 ? null : bestCandidate(job, open.units);
      if (!best) {
        const why = lostAUnit.has(job) ? 'Other schedulers took every unit that fits it.' : open.units.length === 0 ? 'Every compute unit is busy or unavailable.' : whyNothingFits(job);
        result.waiting.push({ jobId, why });
        continue;
      }
      open.take(best.unit);
      batch.push({ plan: { job, machineId: best.unit.unit.machineId, unitId: best.unit.unit.unitId, expiresAt }, unit: best.unit, score: best.score });
    }
    if (batch.length === 0) continue;
    const written = assignBatch(db, batch.map((b) => b.plan), now, { pendingEvents }).then((outcomes) => ({ outcomes, at: Date.now() }));
    const previous = inFlight.at(-1) ?? Promise.resolve();
    const settled = Promise.all([written, previous]).then(([{ outcomes, at }]) => settle(batch, outcomes, at));
    // Awaited in order below; the handler only keeps a failure that lands before then from counting as unhandled.
    settled.catch(() => undefined);
    inFlight.push(settled);
    if (inFlight.length >= BATCHES_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(pendingEvents);
  return result;
}
