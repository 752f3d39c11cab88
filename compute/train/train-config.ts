import { z } from 'zod';
import { LrScheduleSchema } from '../layers/lr-schedules';
import { OptimizerSchema } from '../layers/optimizers';
import { TrainError } from './train-error';

/**
 * A training run's settings. Every field has a default and bounds, like the layer params, so a UI
 * form and a job spec can share this schema.
 */
export const TrainConfigSchema = z.object({
  epochs: z.number().int().min(1).max(100_000).default(10).describe('Passes over the training set'),
  batchSize: z.number().int().min(1).max(65_536).default(32).describe('Examples per step; a final partial batch is dropped each epoch (the data is reshuffled, so every example is still used)'),
  optimizer: OptimizerSchema.default({ type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }),
  schedule: LrScheduleSchema.default({ type: 'constant' }),
  seed: z.number().int().min(0).max(0xffffffff).default(0).describe('Seeds initial weights, shuffling and dropout: the same seed on the same device repeats a run exactly'),
  shuffle: z.boolean().default(true).describe('Reshuffle the training set every epoch'),
  validationFraction: z.number().min(0).max(0.9).default(0).describe('Held out from a single dataset for validation (ignored when a validation set is given)'),
  testFraction: z
    .number()
    .min(0)
    .max(0.9)
    .default(0)
    .describe('Held out from a single dataset for testing: scored once at the end, never used for training or early stopping (ignored when sets are given)'),
  earlyStopping: z
    .object({
      enabled: z.boolean().default(false).describe('Stop when validation loss stops improving, and end with the best epoch\'s weights'),
      patience: z.number().int().min(1).max(10_000).default(5).describe('Epochs without improvement before stopping'),
      minDelta: z.number().min(0).max(1e6).default(0).describe('How much validation loss must fall to count as an improvement'),
    })
    .default({ enabled: false, patience: 5, minDelta: 0 }),
  metricsEvery: z.number().int().min(1).max(10_000).default(10).describe('Steps between reads of the GPU-side loss/accuracy accumulator'),
  evaluateEveryEpoch: z.boolean().default(true).describe('Compute validation loss and accuracy at the end of every epoch'),
});

export type TrainConfigInput = z.input<typeof TrainConfigSchema>;
export type TrainConfig = z.output<typeof TrainConfigSchema>;

export function parseTrainConfig(input: TrainConfigInput): TrainConfig {
  const result = TrainConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  throw new TrainError('INVALID_CONFIG', `Invalid training config${field ? ` field '${field}'` : ''}: ${issue.message}`, field || undefined);
}
