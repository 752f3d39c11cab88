import type { JobStatus } from '@/server/jobs/job-machine';

export type AdminJobAction = 'requeue' | 'invalidate' | 'cancel';

/**
 * The admin actions a job in this state takes, as the job machine allows them: requeue and
 * invalidate need a machine holding the lease; cancel any job that has not ended.
 */
export function jobActionsFor(status: JobStatus): AdminJobAction[] {
  if (status === 'ASSIGNED' || status === 'RUNNING') return ['requeue', 'invalidate', 'cancel'];
  if (status === 'QUEUED' || status === 'ESCROWED') return ['cancel'];
  return [];
}
