import type { Db, ObjectId } from 'mongodb';
import type { JobEffect, JobEvent, JobStatus, Lease } from './job-machine';

export type JobDevice = 'gpu' | 'cpu';

export interface JobRequirements {
  /** A GPU job runs only on a GPU unit; a CPU job runs on either. */
  device: JobDevice;
  /** The unit's free memory (vramOffered − vramReserved; RAM for a CPU unit) must be at least this. */
  minVramBytes: number;
}

/** How the job trains: what the quote counted (epochs over the training rows) and the runner uses. */
export interface JobTrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number | null;
  seed: number | null;
}

/**
 * A network training job: the JobState of job-machine.ts (status … failureReason) stored as
 * top-level fields, plus what it is and what it needs. Every transition is one updateOne
 * conditional on `version` (apply-job-event.ts).
 */
export interface JobDoc {
  _id: ObjectId;
  modelId: ObjectId;
  ownerId: ObjectId;
  status: JobStatus;
  version: number;
  leaseEpoch: number;
  lease: Lease | null;
  excludedMachines: string[];
  escrowed: boolean;
  failureReason: string | null;
  requirements: JobRequirements;
  /** The most the job pays a machine, in µCYX per hour (compared with the machine's pricePerHourMicro). */
  priceCapMicro: string;
  /** compute/model-facts trainingFlops of the whole run, when the quote computed it: the scheduler's time estimate. */
  trainingFlops: number | null;
  createdAt: Date;
  updatedAt: Date;
  /** When it was approved: the queue is served oldest first, and a job put back keeps its place. */
  queuedAt: Date | null;
  /**
   * lease.expiresAt copied out as a top-level Date, so expireLeases asks an equality on status plus
   * a range on a top-level field instead of a dot-path (which FerretDB v1 answers with a scan).
   */
  leaseExpiresAt: Date | null;
  /**
   * lease.machineId copied out as a top-level field (null while no lease is held), so a heartbeat
   * finds the jobs its machine holds with one indexed equality read (server/jobs/held-jobs.ts).
   * Absent on jobs written before it existed (ensureJobIndexes fills it in for leased ones).
   */
  leaseMachineId?: string | null;
  /**
   * JSON of the JobEventDoc of the transition that made this version (null at version 0). It is
   * written in the same conditional update as the transition, so a crash before the jobEvents
   * insert loses nothing: the next transition writes it out (an idempotent insert keyed by
   * jobId:version), and jobTimeline reads it from here until then. Text, not an object: FerretDB v1
   * keeps a type schema per field and rewrites it on each update (see MachineDoc), and the events'
   * shapes differ from one transition to the next.
   */
  lastEventJson: string | null;
  /** What it trains on (a datasets _id as hex or a built-in id) and how; null for jobs made without a quote (tests, benchmarks). */
  datasetId: string | null;
  config: JobTrainingConfig | null;
  /** µCYX the job's escrow locks when approved (the quote's escrow amount); '0' for jobs made without one. */
  escrowMicro: string;
  /** µCYX released from the escrow so far (the provider's share and the platform fee together), and refunded to the owner. */
  paidMicro: string;
  refundedMicro: string;
  /** The last version whose ledger effects were all carried out (effects.ts); settlePending picks up jobs behind it. */
  effectsDoneVersion: number;
  /** Optimizer steps of the whole run (from the frozen spec); null for jobs made without one (tests, benchmarks). */
  totalSteps?: number | null;
  /** The runner's latest progress report: what lists and the job page show without reading jobProgress. */
  progress?: JobProgressSummary | null;
  /** The newest checkpoint the platform verified: a resumed job starts here. */
  lastCheckpoint?: VerifiedCheckpoint | null;
  /** The saved run (server/runs) holding the final weights, once completed: downloads and "continue in this tab". */
  resultRunId?: string | null;
  /** "Continue on the network": the saved run the job started from (its checkpoint is the first lastCheckpoint); null for a fresh start. */
  startFrom?: JobStartFrom | null;
}

/** The run a job started from (start-from-run.ts), as it was at submit. */
export interface JobStartFrom {
  runId: string;
  runName: string;
  /** The starting checkpoint's blob and optimizer step: training and the escrow's shares run from here. */
  sha256: string;
  step: number;
  /** The job's epochs before the requested ones (the run's; one it stopped part-way through counts, the job finishes it first). */
  epochsDone: number;
  /** True: the run's Adam state resumed; false: its weights with a fresh optimizer. */
  resumesOptimizer: boolean;
}

export interface JobProgressSummary {
  step: number;
  totalSteps: number;
  epochIndex: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSecond: number | null;
  etaSeconds: number | null;
  machineId: string;
  at: Date;
}

export interface VerifiedCheckpoint {
  sha256: string;
  step: number;
  epochIndex: number;
  bytes: number;
  valLoss: number | null;
  valAccuracy: number | null;
  machineId: string;
  verifiedAt: Date;
}

/** A job's frozen spec (runner-protocol JobSpec less the lease's parts), written at submit. `_id` is the job id (hex). */
export interface JobSpecDoc {
  _id: string;
  /** JSON text of { graph, train, data, totalSteps, checkpointMetadata }: one write, read whole, never queried into. */
  specJson: string;
  createdAt: Date;
}

/** One progress report, append-only; `_id` is `${jobId}:${leaseEpoch}:${step}` (a retried report is one point). */
export interface JobProgressDoc {
  _id: string;
  jobId: ObjectId;
  /** Monotonic per job (reports arrive in order from the one machine holding the lease): watchers read seq > last. */
  seq: number;
  leaseEpoch: number;
  machineId: string;
  step: number;
  epochIndex: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSecond: number | null;
  etaSeconds: number | null;
  at: Date;
}

/** One uploaded checkpoint and what verification said; `_id` is `${jobId}:${leaseEpoch}:${sha256}` (a repeat within a lease is one verdict). */
export interface JobCheckpointDoc {
  _id: string;
  jobId: ObjectId;
  sha256: string;
  bytes: number;
  step: number;
  epochIndex: number;
  machineId: string;
  leaseEpoch: number;
  reported: { trainLoss: number | null; valLoss: number | null; valAccuracy: number | null };
  platform: { valLoss: number | null; valAccuracy: number | null; rows: number };
  verified: boolean;
  reason: string | null;
  /** µCYX released from the escrow for it (provider + fee). */
  releasedMicro: string;
  at: Date;
}

/** One transition, append-only. `_id` is `${jobId}:${version}`: writing it twice is a no-op. */
export interface JobEventDoc {
  _id: string;
  jobId: ObjectId;
  /** The job's version after this transition (1 for the first). */
  version: number;
  event: JobEvent;
  /** What the job machine said must happen besides the state change (money, reputation, the unit). */
  effects: JobEffect[];
  at: Date;
}

/**
 * Which job holds a compute unit: one document per held unit, `_id` the unit id, so inserting it is
 * the conditional write that gives a unit at most one job (a second insert fails on _id). Units live
 * as JSON text inside their machine's document (server/machines), rewritten by heartbeats' neighbours
 * (pausing, inventory refreshes); holding the claim here keeps scheduling off those writes.
 */
export interface UnitClaimDoc {
  _id: string;
  machineId: string;
  jobId: ObjectId;
  /** The lease epoch the job gets (or got) with this unit. */
  epoch: number;
  claimedAt: Date;
}

export function jobsCollection(db: Db) {
  return db.collection<JobDoc>('jobs');
}

export function jobEventsCollection(db: Db) {
  return db.collection<JobEventDoc>('jobEvents');
}

export function jobSpecsCollection(db: Db) {
  return db.collection<JobSpecDoc>('jobSpecs');
}

export function jobProgressCollection(db: Db) {
  return db.collection<JobProgressDoc>('jobProgress');
}

export function jobCheckpointsCollection(db: Db) {
  return db.collection<JobCheckpointDoc>('jobCheckpoints');
}

export function unitClaimsCollection(db: Db) {
  return db.collection<UnitClaimDoc>('unitClaims');
}

/** The jobs indexes; server/db/indexes.ts creates them at start-up with the rest. */
export async function ensureJobIndexes(db: Db): Promise<void> {
  await Promise.all([
    // The scheduler's queue is status = 'ESCROWED', lease expiry status = 'ASSIGNED' | 'RUNNING':
    // equality on a top-level field, the only kind FerretDB v1 pushes down to PostgreSQL.
    jobsCollection(db).createIndex({ status: 1 }, { name: 'status' }),
    jobEventsCollection(db).createIndex({ jobId: 1, version: 1 }, { name: 'job_version' }),
    // jobs.list: a model's jobs, or a person's own.
    jobsCollection(db).createIndex({ modelId: 1 }, { name: 'model' }),
    jobsCollection(db).createIndex({ ownerId: 1 }, { name: 'owner' }),
    jobProgressCollection(db).createIndex({ jobId: 1, seq: 1 }, { name: 'job_seq' }),
    jobCheckpointsCollection(db).createIndex({ jobId: 1 }, { name: 'job' }),
    // The heartbeat answers the leases a machine holds: its claims, by machine.
    unitClaimsCollection(db).createIndex({ machineId: 1 }, { name: 'machine' }),
    // The heartbeat answers the leases a machine holds: its leased jobs, by machine (held-jobs.ts).
    jobsCollection(db).createIndex({ leaseMachineId: 1 }, { name: 'lease_machine' }),
  ]);
  await backfillLeaseMachineIds(db);
}

/** Leased jobs written before leaseMachineId existed get it, so their machines' heartbeats still find them. */
async function backfillLeaseMachineIds(db: Db): Promise<void> {
  for (const status of ['ASSIGNED', 'RUNNING'] as const) {
    const missing = await jobsCollection(db)
      .find({ status, leaseMachineId: { $exists: false } }, { projection: { lease: 1 } })
      .toArray();
    for (const job of missing) {
      await jobsCollection(db).updateOne({ _id: job._id, leaseMachineId: { $exists: false } }, { $set: { leaseMachineId: job.lease?.machineId ?? null } });
    }
  }
}
