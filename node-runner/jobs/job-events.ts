import type { CheckpointAnswer } from '../../server/jobs/runner-protocol';

/** What the executor tells whoever prints (start.ts prints one line per event). */
export type JobEvent =
  | { type: 'started'; jobId: string; backend: string; startStep: number; totalSteps: number; trainRows: number; validationRows: number }
  | { type: 'epoch'; jobId: string; epochIndex: number; epochs: number; step: number; totalSteps: number; valLoss: number | null; valAccuracy: number | null; answer: CheckpointAnswer }
  | { type: 'completed'; jobId: string; sha256: string; step: number }
  | { type: 'handed-back'; jobId: string; step: number }
  /** The lease is gone (another epoch, a cancel, a rejected checkpoint): the work was dropped. */
  | { type: 'lost'; jobId: string; why: string }
  | { type: 'failed'; jobId: string; code: string; reason: string }
  | { type: 'retrying'; jobId: string; what: string; attempt: number; delayMs: number; message: string };

export type JobOutcome = 'completed' | 'handed-back' | 'lost' | 'failed';
