import { z } from 'zod';
import type { Graph } from '../../compute/graph/types';
import type { TrainConfigInput } from '../../compute/train/train-config';
import type { JobDataSpec } from '../../compute/train/job-data';

/**
 * What a node-runner and the platform say to each other about a job the runner holds. The runner
 * imports these types (as it imports AppRouter); the platform validates every input with the schemas.
 *
 * The journey, with the machine credential on every call:
 *  1. heartbeat answers `jobs`: the leases this machine holds (a heartbeat also renews them).
 *  2. runner.jobSpec({ jobId, epoch }) → JobSpec: the graph and config frozen at submit, the data, and
 *     the checkpoint to start from. Blobs download from GET /api/runner/blobs/<sha256>?job=&epoch=
 *     (only the job's own dataset and checkpoints, only with the current lease), verified by sha256.
 *  3. runner.jobStart → RUNNING. runner.jobProgress every few seconds (step, loss, …): stored, streamed
 *     to watchers, and it renews the lease. The answer says whether to keep going.
 *  4. After every epoch: PUT /api/runner/jobs/<jobId>/checkpoints?epoch=<lease epoch> with the
 *     checkpoint's bytes (safetensors), headers `x-cyxwiz-sha256` and `x-cyxwiz-report` (JSON
 *     CheckpointReport). The platform checks the hash, stores the blob, evaluates the weights on the
 *     validation split itself and compares (CHECKPOINT_TOLERANCE): a match pays the checkpoint's
 *     share; a mismatch slashes, and the job goes back to the queue from the last good checkpoint.
 *  5. runner.jobComplete({ jobId, epoch, sha256 }) naming the verified checkpoint at totalSteps, or
 *     runner.jobHandBack (SIGINT after a checkpoint), or runner.jobFail({ reason }). On SIGINT the
 *     runner first calls runner.signOff: the machine is offline until its next heartbeat, so the
 *     job it hands back (or any other) is not leased straight back to a runner that is exiting.
 * A stale epoch, or a job this machine no longer holds, is refused with CONFLICT STALE_LEASE_EPOCH /
 * JOB_NOT_HELD: the runner stops that job and drops its work.
 */

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'Use a lowercase hex SHA-256.');
const jobId = z.string().regex(/^[0-9a-f]{24}$/, 'Give the job id.');
const epoch = z.number().int().min(1).max(2 ** 31);
const finiteOrNull = z.number().refine(Number.isFinite, 'must be a finite number').nullable();

export const JobLeaseInputSchema = z.object({ jobId, epoch });
export type JobLeaseInput = z.infer<typeof JobLeaseInputSchema>;

/** A lease this machine holds, as the heartbeat answers it. */
export interface HeldJob {
  jobId: string;
  epoch: number;
  unitId: string;
  status: 'ASSIGNED' | 'RUNNING';
}

export interface JobSpec {
  jobId: string;
  epoch: number;
  /** The graph as it was when the job was submitted (later edits do not change a running job). */
  graph: Graph;
  /** What train() / trainOnTorch take: epochs, batch size, optimizer, schedule, seed, validation and test fractions. */
  train: TrainConfigInput;
  data: JobDataSpec;
  /** Optimizer steps of the whole run (epochs × full batches of the training split). */
  totalSteps: number;
  /** The last verified checkpoint, to resume from; null for a fresh start. */
  startCheckpoint: { sha256: string; step: number; bytes: number } | null;
  /** Metadata every checkpoint carries (compute/export modelMetadataEntries: preprocessing, class names, input columns). */
  checkpointMetadata: Record<string, string>;
}

export const JobProgressInputSchema = JobLeaseInputSchema.extend({
  step: z.number().int().min(0),
  /** 0-based epoch the step is in. */
  epochIndex: z.number().int().min(0),
  loss: finiteOrNull,
  accuracy: finiteOrNull,
  valLoss: finiteOrNull.optional(),
  valAccuracy: finiteOrNull.optional(),
  samplesPerSecond: z.number().min(0).max(1e12).nullable(),
  etaSeconds: z.number().min(0).max(1e9).nullable(),
});
export type JobProgressInput = z.infer<typeof JobProgressInputSchema>;

export interface JobProgressAnswer {
  /** false: the job was cancelled or taken away; stop it and drop the work. */
  keepGoing: boolean;
}

/** The runner's own scores of a checkpoint's weights, which the platform checks. */
export const CheckpointReportSchema = z.object({
  step: z.number().int().min(1),
  epochIndex: z.number().int().min(0),
  trainLoss: finiteOrNull,
  valLoss: finiteOrNull,
  valAccuracy: finiteOrNull,
});
export type CheckpointReport = z.infer<typeof CheckpointReportSchema>;

/**
 * How close the runner's validation scores must be to the platform's for a checkpoint to verify:
 * the platform evaluates on its CPU (float32), the runner on its GPU or torch, so sums differ in
 * their last bits and an example on a decision boundary may flip.
 */
export const CHECKPOINT_TOLERANCE = {
  /** |loss_runner − loss_platform| ≤ absolute + relative × |loss_platform| */
  lossAbsolute: 1e-3,
  lossRelative: 1e-3,
  /** |accuracy difference| ≤ max(this, 1 / validation rows) */
  accuracy: 0.01,
} as const;

export interface CheckpointAnswer {
  verified: boolean;
  sha256: string;
  step: number;
  platform: { valLoss: number | null; valAccuracy: number | null; rows: number };
  /** µCYX released for this checkpoint (provider + fee); '0' when invalid. */
  releasedMicro: string;
  /** Why it did not verify, in words; null when it did. */
  reason: string | null;
}

export const JobCompleteInputSchema = JobLeaseInputSchema.extend({ sha256: sha256Schema });
export const JobFailInputSchema = JobLeaseInputSchema.extend({ reason: z.string().trim().min(1).max(500) });

/** The largest checkpoint a runner may upload (PUT body cap). */
export const MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024;
