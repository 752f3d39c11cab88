import { ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { jobsCollection, type JobDoc, type JobRequirements, type JobStartFrom, type JobTrainingConfig, type VerifiedCheckpoint } from './collections';
import { newJob } from './job-machine';

export interface NewJobInput {
  modelId: ObjectId;
  ownerId: ObjectId;
  requirements: JobRequirements;
  priceCapMicro: string;
  trainingFlops?: number | null;
  datasetId?: string | null;
  config?: JobTrainingConfig | null;
  /** µCYX to lock when the job is approved (the quote's escrow amount). */
  escrowMicro?: string;
  /** Optimizer steps of the whole run, from the frozen spec (job-spec.ts). */
  totalSteps?: number | null;
  /** "Continue on the network": the run's checkpoint, the job's first lastCheckpoint (the runner resumes from it). */
  startCheckpoint?: VerifiedCheckpoint | null;
  startFrom?: JobStartFrom | null;
}

/** The most memory a job may ask for: the largest unit the machines schema accepts (MAX_VRAM_BYTES). */
const MAX_MIN_VRAM_BYTES = 2 ** 44;

function checkInput(input: NewJobInput): void {
  const { device, minVramBytes } = input.requirements;
  if (device !== 'gpu' && device !== 'cpu') throw new AppError('BAD_REQUEST', 'INVALID_DEVICE', 'Ask for a GPU or a CPU.', 'requirements.device');
  if (!Number.isSafeInteger(minVramBytes) || minVramBytes < 0 || minVramBytes > MAX_MIN_VRAM_BYTES) {
    throw new AppError('BAD_REQUEST', 'INVALID_MIN_VRAM', `Give the minimum memory as whole bytes from 0 to ${MAX_MIN_VRAM_BYTES}.`, 'requirements.minVramBytes');
  }
  if (!/^\d{1,19}$/.test(input.priceCapMicro)) throw new AppError('BAD_REQUEST', 'INVALID_PRICE_CAP', 'Give the price cap in µCYX per hour as a whole number.', 'priceCapMicro');
  const flops = input.trainingFlops;
  if (flops !== undefined && flops !== null && !(Number.isFinite(flops) && flops > 0)) {
    throw new AppError('BAD_REQUEST', 'INVALID_TRAINING_FLOPS', 'The training FLOPs must be a positive number.', 'trainingFlops');
  }
  if (input.escrowMicro !== undefined && !/^\d{1,19}$/.test(input.escrowMicro)) throw new AppError('BAD_REQUEST', 'INVALID_ESCROW_AMOUNT', 'Give the escrow amount in µCYX as a whole number.', 'escrowMicro');
}

/**
 * Stores a new job, CREATED at version 0 (quoted, nothing paid). Checking the graph, the quote and
 * the owner's rights is the submit step's; this only refuses what would break scheduling.
 */
export async function createJob(db: Db, input: NewJobInput, now: Date): Promise<JobDoc> {
  checkInput(input);
  const state = newJob();
  const doc: JobDoc = {
    _id: new ObjectId(),
    modelId: input.modelId,
    ownerId: input.ownerId,
    ...state,
    excludedMachines: [],
    requirements: { device: input.requirements.device, minVramBytes: input.requirements.minVramBytes },
    priceCapMicro: BigInt(input.priceCapMicro).toString(),
    trainingFlops: input.trainingFlops ?? null,
    createdAt: now,
    updatedAt: now,
    queuedAt: null,
    leaseExpiresAt: null,
    lastEventJson: null,
    datasetId: input.datasetId ?? null,
    config: input.config ?? null,
    escrowMicro: BigInt(input.escrowMicro ?? '0').toString(),
    paidMicro: '0',
    refundedMicro: '0',
    effectsDoneVersion: 0,
    totalSteps: input.totalSteps ?? null,
    progress: null,
    lastCheckpoint: input.startCheckpoint ?? null,
    resultRunId: null,
    startFrom: input.startFrom ?? null,
  };
  await jobsCollection(db).insertOne(doc);
  return doc;
}
