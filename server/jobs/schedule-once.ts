import type { Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { applyJobEvent } from './apply-job-event';
import { jobsCollection } from './collections';
import { explainCandidates } from './explain-candidates';
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

function withClosed(why: string, closed: number): string {
  return closed === 0 ? why : `${why.replace(/\.$/, '')} (${closed} more are busy or unavailable).`;
}

/** A unit taken in this pass: it leaves the open units, and its machine's queue grows by one. */
function take(open: SchedulableUnit[], unit: SchedulableUnit): SchedulableUnit[] {
  return open.filter((u) => u.unitId !== unit.unitId).map((u) => (u.machineId === unit.machineId ? { ...u, machineBusyUnits: u.machineBusyUnits + 1 } : u));
}

/**
 * One scheduling pass: queued (ESCROWED) jobs, oldest first, each to its best open unit.
 *
 * Each assignment is two conditional writes: first the unit claim (an insert on the unit's id, so
 * no unit gets two jobs), then the job's 'assign' conditional on the version the decision was made
 * on (so no job is assigned twice and the lease gets the epoch the claim names). In that order a
 * crash between them leaves only a claimed, idle unit, which releaseOrphanClaims frees; the other
 * order could leave a job leased to a unit another job may then be given. When the claim is taken
 * the next-best unit is tried; when the assign loses (another scheduler assigned the job, or it was
 * cancelled) the claim is deleted and the job left to whoever moved it. Any number of schedulers may
 * run this at once.
 */
export async function scheduleOnce(db: Db, now: Date): Promise<ScheduleResult> {
  const [queue, units] = await Promise.all([jobsCollection(db).find({ status: 'ESCROWED' }).toArray(), loadSchedulableUnits(db, now)]);
  queue.sort((a, b) => (a.queuedAt?.getTime() ?? 0) - (b.queuedAt?.getTime() ?? 0) || (a._id.toHexString() < b._id.toHexString() ? -1 : 1));
  let open = units.filter(unitIsOpen);
  const result: ScheduleResult = { assigned: [], waiting: [], lostRaces: 0 };
  for (const job of queue) {
    const jobId = job._id.toHexString();
    if (open.length === 0) {
      result.waiting.push({ jobId, why: 'Every compute unit is busy or unavailable.' });
      continue;
    }
    const explanation = explainCandidates(job, open);
    const epoch = job.leaseEpoch + 1;
    let settled = false;
    for (const candidate of explanation.candidates) {
      if (candidate.passedOver !== null) break;
      const unit = open.find((u) => u.unitId === candidate.unitId)!;
      if (!(await claimUnit(db, { _id: unit.unitId, machineId: unit.machineId, jobId: job._id, epoch, claimedAt: now }))) {
        result.lostRaces++;
        open = take(open, unit);
        continue;
      }
      const expiresAt = now.getTime() + LEASE_MS;
      try {
        await applyJobEvent(db, job._id, { type: 'assign', machineId: unit.machineId, unitId: unit.unitId, expiresAt }, now, { expectedVersion: job.version });
      } catch (error) {
        await releaseUnit(db, unit.unitId, job._id, epoch);
        if (!(error instanceof AppError)) throw error;
        // Moved on since the queue was read (assigned by another scheduler, cancelled): no longer ours to place.
        result.lostRaces++;
        settled = true;
        break;
      }
      result.assigned.push({ jobId, machineId: unit.machineId, unitId: unit.unitId, epoch, expiresAt, score: candidate.score! });
      open = take(open, unit);
      settled = true;
      break;
    }
    if (!settled) result.waiting.push({ jobId, why: explanation.winner ? 'Other schedulers took every unit that fits it.' : withClosed(explanation.why, units.length - open.length) });
  }
  return result;
}
