import { z } from 'zod';

const learningRate = (defaultValue: number) =>
  z.number().gt(0).max(10).default(defaultValue).describe('Step size for each update');

const beta = (defaultValue: number, description: string) => z.number().min(0).lt(1).default(defaultValue).describe(description);

export const SgdSchema = z.object({
  type: z.literal('sgd'),
  lr: learningRate(0.01),
  momentum: z.number().min(0).lt(1).default(0).describe('Fraction of the previous update carried into the next'),
  weightDecay: z.number().min(0).max(1).default(0).describe('L2 penalty added to the gradient'),
  nesterov: z.boolean().default(false).describe('Use Nesterov momentum (only matters when momentum > 0)'),
});

export const AdamSchema = z.object({
  type: z.literal('adam'),
  lr: learningRate(0.001),
  beta1: beta(0.9, 'Decay rate of the running mean of gradients'),
  beta2: beta(0.999, 'Decay rate of the running mean of squared gradients'),
  eps: z.number().gt(0).max(1).default(1e-8).describe('Added to the denominator for numerical stability'),
  weightDecay: z.number().min(0).max(1).default(0).describe('L2 penalty added to the gradient (use AdamW for decoupled decay)'),
});

/** Adam with decoupled weight decay (Loshchilov & Hutter), the usual default for modern training. */
export const AdamWSchema = AdamSchema.extend({
  type: z.literal('adamw'),
  weightDecay: z.number().min(0).max(1).default(0.01).describe('Decoupled weight decay applied to weights each step'),
});

export const OptimizerSchema = z.discriminatedUnion('type', [SgdSchema, AdamSchema, AdamWSchema]);

export type SgdConfig = z.output<typeof SgdSchema>;
export type AdamConfig = z.output<typeof AdamSchema>;
export type AdamWConfig = z.output<typeof AdamWSchema>;
export type OptimizerConfig = z.output<typeof OptimizerSchema>;
