import { describe, expect, it } from 'vitest';
import { JOB_EVENT_TYPES, JOB_STATUSES, newJob, transition, type JobState } from '@/server/jobs/job-machine';
import { jobActionsFor } from './admin-job-actions';

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
