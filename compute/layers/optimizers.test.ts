import { describe, expect, it } from 'vitest';
import { LrScheduleSchema, learningRateAt } from './lr-schedules';
import { OptimizerSchema } from './optimizers';

describe('optimizer schemas', () => {
  it('fill in the usual defaults', () => {
    expect(OptimizerSchema.parse({ type: 'sgd' })).toEqual({ type: 'sgd', lr: 0.01, momentum: 0, weightDecay: 0, nesterov: false });
    expect(OptimizerSchema.parse({ type: 'adam' })).toEqual({ type: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 });
    expect(OptimizerSchema.parse({ type: 'adamw', lr: 0.003 })).toEqual({
      type: 'adamw',
      lr: 0.003,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.01,
    });
  });

  it('reject out-of-range values and unknown optimizers', () => {
    expect(OptimizerSchema.safeParse({ type: 'adam', lr: 0 }).success).toBe(false);
    expect(OptimizerSchema.safeParse({ type: 'adam', beta1: 1 }).success).toBe(false);
    expect(OptimizerSchema.safeParse({ type: 'sgd', momentum: -0.1 }).success).toBe(false);
    expect(OptimizerSchema.safeParse({ type: 'rmsprop' }).success).toBe(false);
  });
});

describe('learning-rate schedules', () => {
  it('constant keeps the base rate', () => {
    expect(learningRateAt(LrScheduleSchema.parse({ type: 'constant' }), 0.1, 12345)).toBe(0.1);
  });

  it('step decays by gamma every stepSize steps', () => {
    const schedule = LrScheduleSchema.parse({ type: 'step', stepSize: 10, gamma: 0.5 });
    expect(learningRateAt(schedule, 0.1, 9)).toBeCloseTo(0.1);
    expect(learningRateAt(schedule, 0.1, 10)).toBeCloseTo(0.05);
    expect(learningRateAt(schedule, 0.1, 25)).toBeCloseTo(0.025);
  });

  it('cosine anneals from the base rate to minLr and stays there', () => {
    const schedule = LrScheduleSchema.parse({ type: 'cosine', totalSteps: 100, minLr: 0.001 });
    expect(learningRateAt(schedule, 0.1, 0)).toBeCloseTo(0.1);
    expect(learningRateAt(schedule, 0.1, 50)).toBeCloseTo(0.0505);
    expect(learningRateAt(schedule, 0.1, 100)).toBeCloseTo(0.001);
    expect(learningRateAt(schedule, 0.1, 500)).toBeCloseTo(0.001);
  });

  it('rejects invalid schedule params', () => {
    expect(LrScheduleSchema.safeParse({ type: 'step', stepSize: 0 }).success).toBe(false);
    expect(LrScheduleSchema.safeParse({ type: 'cosine', minLr: -1 }).success).toBe(false);
  });
});
