import { ObjectId, type Db } from 'mongodb';
import { modelFacts } from '../../compute/model-facts';
import { parseTrainConfig } from '../../compute/train/train-config';
import { machinesCollection } from '../machines/collections';
import { jobCheckpointsCollection, jobEventsCollection, type JobCheckpointDoc, type JobDoc } from './collections';
import { readJobSpec } from './job-spec';

/**
 * Training throughput measured by the platform, never by the runner: a runner's samplesPerSecond
 * is its own word and a liar's would buy it work. When a checkpoint verifies, the server knows
 *
 * - the FLOPs of one training sample (compute/model-facts on the job's frozen graph),
 * - the samples trained since the previous verified checkpoint (steps × the frozen batch size),
 * - when the two arrived here (its own clock), or, for a lease's first checkpoint of a run that
 *   starts at step 0, when the lease's runner called jobStart,
 *
 * so FLOPs / seconds is a speed the runner cannot inflate: it can only be slower than it says (a
 * checkpoint cannot arrive before its steps were trained). Each unit keeps the last RECENT_SPEEDS
 * intervals per backend (unitSpeeds, `${unitId}:${backend}`) and its speed is their median, so one
 * odd interval (a stalled upload, a shared GPU) moves nothing much.
 *
 * Not counted: an interval under MIN_INTERVAL_MS (the clock's and the upload's noise swamp it), one
 * with less than minIntervalFlops() of training in it (a toy model's interval is all upload,
 * verification and start-up, which says nothing of the unit's FLOP/s and would price every larger
 * job as if it were that slow), one that includes a resume (the previous checkpoint is another lease's: the gap holds a download, a
 * restart, maybe another machine), and a job whose spec is missing. A figure outside
 * [MIN_FLOPS_PER_SECOND, MAX_FLOPS_PER_SECOND] is clamped into it.
 */

export const MIN_INTERVAL_MS = 1_000;
/** Below a slow CPU's worst case and above a whole node of today's GPUs at f32: anything outside is an error of measurement. */
export const MIN_FLOPS_PER_SECOND = 1e3;
export const MAX_FLOPS_PER_SECOND = 1e16;
export const RECENT_SPEEDS = 9;
/** Intervals with fewer training FLOPs than this are overhead, not throughput (a GFLOP: a second of a slow CPU's work). */
export const MIN_INTERVAL_FLOPS = 1e9;

/** MIN_INTERVAL_FLOPS, or CYXWIZ_SPEED_MIN_FLOPS (read at each call, for tests and small deployments). */
export function minIntervalFlops(): number {
  const raw = process.env.CYXWIZ_SPEED_MIN_FLOPS;
  if (!raw) return MIN_INTERVAL_FLOPS;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`CYXWIZ_SPEED_MIN_FLOPS must be a number of FLOPs >= 0, got "${raw}"`);
  return value;
}

/** One unit's measured speed on one backend. `_id` is `${unitId}:${backend}` ('unknown' for runners that do not say). */
export interface UnitSpeedDoc {
  _id: string;
  machineId: string;
  unitId: string;
  backend: string;
  /** The last RECENT_SPEEDS measured intervals' FLOP/s, oldest first. */
  recent: number[];
  /** The median of `recent`: what the quote and the scheduler use. */
  flopsPerSecond: number;
  /** Intervals measured in all (not only those kept): bumped by every update, the conditional update's version. */
  samples: number;
  updatedAt: Date;
}

export function unitSpeedsCollection(db: Db) {
  return db.collection<UnitSpeedDoc>('unitSpeeds');
}

export function unitSpeedKey(unitId: string, backend: string | null | undefined): string {
  return `${unitId}:${backend ?? 'unknown'}`;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export type IntervalVerdict = { ok: true; flopsPerSecond: number; clamped: boolean } | { ok: false; reason: 'TOO_SHORT' | 'NO_WORK' | 'TOO_LITTLE_WORK' };

/** FLOP/s over one interval between two server times, or why it does not count. Pure. */
export function intervalSpeed(input: { flopsPerSample: number; samples: number; fromMs: number; toMs: number; minFlops: number }): IntervalVerdict {
  const ms = input.toMs - input.fromMs;
  if (!(ms >= MIN_INTERVAL_MS)) return { ok: false, reason: 'TOO_SHORT' };
  const flops = input.flopsPerSample * input.samples;
  if (!(Number.isFinite(flops) && flops > 0)) return { ok: false, reason: 'NO_WORK' };
  if (flops < input.minFlops) return { ok: false, reason: 'TOO_LITTLE_WORK' };
  const raw = flops / (ms / 1000);
  const flopsPerSecond = Math.min(MAX_FLOPS_PER_SECOND, Math.max(MIN_FLOPS_PER_SECOND, raw));
  return { ok: true, flopsPerSecond, clamped: flopsPerSecond !== raw };
}

const UPDATE_ATTEMPTS = 8;

/**
 * Adds one interval to a unit's speed: read, then one conditional update on `samples` (or an insert
 * for the first), retried when another process landed first. Single-document atomic; no transaction.
 */
export async function recordUnitSpeed(db: Db, unit: { machineId: string; unitId: string; backend: string | null | undefined }, flopsPerSecond: number, now: Date): Promise<UnitSpeedDoc> {
  const speeds = unitSpeedsCollection(db);
  const _id = unitSpeedKey(unit.unitId, unit.backend);
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const current = await speeds.findOne({ _id });
    if (!current) {
      const fresh: UnitSpeedDoc = { _id, machineId: unit.machineId, unitId: unit.unitId, backend: unit.backend ?? 'unknown', recent: [flopsPerSecond], flopsPerSecond, samples: 1, updatedAt: now };
      try {
        await speeds.insertOne(fresh);
        return fresh;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) continue;
        throw error;
      }
    }
    const recent = [...current.recent, flopsPerSecond].slice(-RECENT_SPEEDS);
    const next = { recent, flopsPerSecond: median(recent), samples: current.samples + 1, updatedAt: now };
    const landed = await speeds.updateOne({ _id, samples: current.samples }, { $set: next });
    if (landed.modifiedCount === 1) return { ...current, ...next };
  }
  throw new Error(`The speed of unit ${unit.unitId} changed under ${UPDATE_ATTEMPTS} updates in a row`);
}

export type MeasureOutcome = { recorded: true; flopsPerSecond: number; unit: UnitSpeedDoc } | { recorded: false; reason: string };

/**
 * Measures the interval that ended with `checkpoint` (verified, and just made the job's last
 * checkpoint) and records it for the lease's unit. `job` is the job as it was before the
 * checkpoint (its lastCheckpoint is the previous one). Never throws for a job it cannot measure.
 */
export async function measureCheckpoint(db: Db, job: JobDoc, checkpoint: JobCheckpointDoc, now: Date): Promise<MeasureOutcome> {
  const lease = job.lease;
  if (!lease || lease.epoch !== checkpoint.leaseEpoch) return { recorded: false, reason: 'NOT_THIS_LEASE' };
  const previous = job.lastCheckpoint ?? null;
  let fromMs: number;
  if (previous) {
    // The previous verified checkpoint counts only when this lease made it; else the gap holds a resume.
    const same = await jobCheckpointsCollection(db).findOne({ _id: `${job._id.toHexString()}:${checkpoint.leaseEpoch}:${previous.sha256}` }, { projection: { verified: 1, at: 1 } });
    if (!same || !same.verified) return { recorded: false, reason: 'RESUMED' };
    fromMs = previous.verifiedAt.getTime();
  } else {
    const started = await jobEventsCollection(db).find({ jobId: job._id, version: { $lte: job.version } }, { projection: { event: 1, at: 1, version: 1 } }).sort({ version: -1 }).toArray();
    const start = started.find((e) => e.event.type === 'start' && e.event.epoch === checkpoint.leaseEpoch);
    if (!start) return { recorded: false, reason: 'NO_START' };
    fromMs = start.at.getTime();
  }
  const spec = await readJobSpec(db, job._id);
  if (!spec) return { recorded: false, reason: 'NO_SPEC' };
  const facts = modelFacts(spec.graph);
  if (!facts.ok) return { recorded: false, reason: 'NO_WORK' };
  const batch = parseTrainConfig(spec.train).batchSize;
  const samples = (checkpoint.step - (previous?.step ?? 0)) * batch;
  const verdict = intervalSpeed({ flopsPerSample: facts.totals.trainingFlops, samples, fromMs, toMs: now.getTime(), minFlops: minIntervalFlops() });
  if (!verdict.ok) return { recorded: false, reason: verdict.reason };
  const machine = ObjectId.isValid(lease.machineId) ? await machinesCollection(db).findOne({ _id: new ObjectId(lease.machineId) }, { projection: { backend: 1 } }) : null;
  const unit = await recordUnitSpeed(db, { machineId: lease.machineId, unitId: lease.unitId, backend: machine?.backend ?? null }, verdict.flopsPerSecond, now);
  return { recorded: true, flopsPerSecond: verdict.flopsPerSecond, unit };
}

/**
 * The measured speeds of some machines' units on their current backends, by unit id: one read by
 * _id per unit, concurrently (an `$in` on _id makes FerretDB v1 scan), for an owner's few machines.
 */
export async function measuredSpeedsOf(db: Db, machines: readonly { backend?: string | null; units: readonly { id: string }[] }[]): Promise<Map<string, UnitSpeedDoc>> {
  const speeds = unitSpeedsCollection(db);
  const found = new Map<string, UnitSpeedDoc>();
  await Promise.all(
    machines.flatMap((m) =>
      m.units.map(async (u) => {
        const doc = await speeds.findOne({ _id: unitSpeedKey(u.id, m.backend) });
        if (doc) found.set(u.id, doc);
      }),
    ),
  );
  return found;
}
