import { z } from 'zod';
import { InputColumnsSchema } from '../../compute/data/input-columns';
import { PreprocessingSchema } from '../../compute/data/preprocessing';

/**
 * What the browser sends when it saves a run. Metrics are compact on purpose: one point per epoch
 * plus a sample of batch points (the panel keeps at most a few hundred), so a run document stays
 * far below MongoDB's 16 MB limit however long the training was.
 */
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const maybe = finite.nullable();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'Use a lowercase hex SHA-256.');

export const EpochPointSchema = z.object({
  epoch: z.number().int().min(0),
  step: z.number().int().min(0),
  loss: maybe,
  accuracy: maybe,
  valLoss: maybe,
  valAccuracy: maybe,
  timeMs: z.number().min(0),
});

export const BatchPointSchema = z.object({
  step: z.number().int().min(0),
  loss: maybe,
  accuracy: maybe,
});

export const MAX_EPOCH_POINTS = 10_000;
export const MAX_BATCH_POINTS = 2_000;
/** Weights travel base64-encoded in JSON; this bounds the decoded size. */
export const MAX_WEIGHT_BYTES = 32 * 1024 * 1024;
/** A checkpoint adds the optimizer slots (two per weight for Adam) to the weights. */
export const MAX_CHECKPOINT_BYTES = 3 * MAX_WEIGHT_BYTES;
/** Class names stored with a run (what each output index means). */
export const MAX_RUN_CLASSES = 1_000;

export const SaveRunInputSchema = z.object({
  modelId: z.string().trim().min(1, 'Choose a model.').max(64),
  /** Chosen by the browser once per run, so saving twice (a retry) stores one run. */
  clientRunId: z.string().trim().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ only.'),
  name: z.string().trim().min(1, 'Give the run a name.').max(100),
  /** The training config as compute/train parsed it (epochs, batch size, optimizer, schedule, ...). */
  config: z.record(z.string(), z.unknown()).refine((c) => JSON.stringify(c).length <= 10_000, 'The config is too large.'),
  dataset: z.string().trim().min(1).max(200),
  /** The dataset's id ('builtin:…' or a stored dataset's id) and the SHA-256 of the bytes trained on; null for a generated or local file. */
  datasetId: z.string().trim().min(1).max(200).nullable().optional(),
  datasetSha256: sha256.nullable().optional(),
  /** compute/graph graphHash of the graph this run trained: the list marks runs whose graph changed since. */
  graphHash: sha256.optional(),
  device: z.string().trim().max(200).default(''),
  status: z.enum(['completed', 'stopped']),
  epochs: z.array(EpochPointSchema).max(MAX_EPOCH_POINTS),
  batches: z.array(BatchPointSchema).max(MAX_BATCH_POINTS),
  finalAccuracy: maybe,
  finalLoss: maybe,
  /** The held-out test split, scored once at the end; null without one. */
  testAccuracy: maybe.optional(),
  testLoss: maybe.optional(),
  steps: z.number().int().min(0),
  wallTimeMs: z.number().min(0),
  /**
   * The feature scaling fitted on the training split (numbers only); part of the model. Left out,
   * it is read from the weights file's metadata, where the panel's export records it too.
   */
  preprocessing: PreprocessingSchema.nullable().optional(),
  classNames: z.array(z.string().max(200)).max(MAX_RUN_CLASSES).optional(),
  /** The raw input columns and their encoding (tables); left out, read from the weights file's metadata, else the features are the raw values. */
  inputColumns: InputColumnsSchema.nullable().optional(),
  weightsBase64: z
    .string()
    .min(1, 'The weights are missing.')
    .max(Math.ceil(MAX_WEIGHT_BYTES / 3) * 4, `Weights are limited to ${MAX_WEIGHT_BYTES / (1024 * 1024)} MB.`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The weights must be base64.'),
  /**
   * The run's training checkpoint (compute/export saveCheckpoint: the same weights plus optimizer
   * slots and step), so "continue on the network" resumes the optimizer where the tab left it.
   * Optional: a run without one starts a job from its weights with a fresh optimizer.
   */
  checkpointBase64: z
    .string()
    .min(1)
    .max(Math.ceil(MAX_CHECKPOINT_BYTES / 3) * 4, `Checkpoints are limited to ${MAX_CHECKPOINT_BYTES / (1024 * 1024)} MB.`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The checkpoint must be base64.')
    .optional(),
});

export type SaveRunInput = z.infer<typeof SaveRunInputSchema>;
export type EpochPoint = z.infer<typeof EpochPointSchema>;
export type BatchPoint = z.infer<typeof BatchPointSchema>;
