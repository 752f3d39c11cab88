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

/** What the page says once an admin action landed, from what the server answered (cyxText formats µCYX). */
export function jobActionDoneText(
  kind: AdminJobAction,
  result: { job: { id: string; lastCheckpointStep: number | null }; refundedMicro: string; slashedMicro: string },
  cyxText: (micro: string) => string,
): string {
  const { id, lastCheckpointStep } = result.job;
  if (kind === 'requeue') return `Requeued job ${id}: back in the queue, resuming ${lastCheckpointStep === null ? 'from the start' : `from step ${lastCheckpointStep}`}.`;
  if (kind === 'cancel') return `Cancelled job ${id}: ${cyxText(result.refundedMicro)} refunded to its owner.`;
  return `Marked job ${id}'s results invalid: its machine slashed ${cyxText(result.slashedMicro)}, ${cyxText(result.refundedMicro)} refunded to its owner.`;
}
