import { describe, expect, it } from 'vitest';
import { JOB_EVENT_TYPES, JOB_STATUSES, newJob, transition, type JobState } from '@/server/jobs/job-machine';
import { jobActionDoneText, jobActionsFor } from './admin-job-actions';

const EVENT = { requeue: 'admin_requeue', invalidate: 'admin_invalidate', cancel: 'admin_cancel' } as const;

describe('admin job actions offered', () => {
  it('are exactly the admin events the job machine accepts in each state', () => {
    expect(JOB_EVENT_TYPES).toEqual(expect.arrayContaining(Object.values(EVENT)));
    for (const status of JOB_STATUSES) {
      const lease = status === 'ASSIGNED' || status === 'RUNNING' ? { machineId: 'm', unitId: 'u', epoch: 1, expiresAt: 1 } : null;
      const job: JobState = { ...newJob(), status, lease, leaseEpoch: lease ? 1 : 0, escrowed: status !== 'CREATED' && status !== 'QUEUED' };
      const accepted = (Object.keys(EVENT) as (keyof typeof EVENT)[]).filter((kind) => transition(job, { type: EVENT[kind], reason: 'because' }).ok);
      expect(jobActionsFor(status).slice().sort(), status).toEqual(accepted.sort());
    }
  });
});

describe('what the page says after an action', () => {
  const cyx = (micro: string) => `${Number(micro) / 1e6} CYX`;
  const job = { id: 'j1', lastCheckpointStep: null };
  it('names the job, where a requeue resumes, and the money an action moved', () => {
    expect(jobActionDoneText('requeue', { job, refundedMicro: '0', slashedMicro: '0' }, cyx)).toBe('Requeued job j1: back in the queue, resuming from the start.');
    expect(jobActionDoneText('requeue', { job: { id: 'j1', lastCheckpointStep: 40 }, refundedMicro: '0', slashedMicro: '0' }, cyx)).toBe('Requeued job j1: back in the queue, resuming from step 40.');
    expect(jobActionDoneText('cancel', { job, refundedMicro: '2500000', slashedMicro: '0' }, cyx)).toBe('Cancelled job j1: 2.5 CYX refunded to its owner.');
    expect(jobActionDoneText('invalidate', { job, refundedMicro: '1000000', slashedMicro: '25000000' }, cyx)).toBe("Marked job j1's results invalid: its machine slashed 25 CYX, 1 CYX refunded to its owner.");
  });
});
