import { z } from 'zod';

export const ConstantScheduleSchema = z.object({ type: z.literal('constant') });

export const StepScheduleSchema = z.object({
  type: z.literal('step'),
  stepSize: z.number().int().min(1).default(1000).describe('Multiply the learning rate by gamma every this many steps'),
  gamma: z.number().gt(0).max(1).default(0.1).describe('Factor applied at each decay'),
});

export const CosineScheduleSchema = z.object({
  type: z.literal('cosine'),
  totalSteps: z.number().int().min(1).default(10_000).describe('Steps over which the rate anneals from its base value to minLr'),
  minLr: z.number().min(0).default(0).describe('Learning rate reached at totalSteps and kept afterwards'),
});

export const LrScheduleSchema = z.discriminatedUnion('type', [ConstantScheduleSchema, StepScheduleSchema, CosineScheduleSchema]);

export type LrSchedule = z.output<typeof LrScheduleSchema>;

/** Learning rate for a 0-based optimisation step; the engine and the UI's preview chart share it. */
export function learningRateAt(schedule: LrSchedule, baseLr: number, step: number): number {
  switch (schedule.type) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(step / schedule.stepSize);
    case 'cosine': {
      const progress = Math.min(step, schedule.totalSteps) / schedule.totalSteps;
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}
