/**
 * The network job's life as one pure transition function: (job, event) -> (job, effects) | refusal.
 * No I/O and no clock (times come in the events), so every pair of state and event is tested
 * (job-machine.test.ts) and persistence is a conditional update on `version` (one writer wins).
 *
 * CREATED (quoted) -> QUEUED (approved; the escrow is being locked) -> ESCROWED (paid for, waiting
 * for a machine) -> ASSIGNED (leased to a compute unit) -> RUNNING -> COMPLETED | FAILED | CANCELLED,
 * then PAYMENT_RELEASED (completed: the rest of the escrow is released) or REFUNDED (what is left
 * goes back). A lost lease, an invalid checkpoint or a failure puts the job back in ESCROWED for
 * another machine, resuming from its last verified checkpoint, until MAX_ATTEMPTS machines failed.
 *
 * Administrators have three events of their own, each carrying the reason they gave: admin_cancel
 * (any live job, refunding the rest), admin_requeue (a leased job back to ESCROWED, from its last
 * checkpoint, the machine neither blamed nor excluded) and admin_invalidate (the leased machine's
 * results are bad: it is slashed, the job FAILS and the rest is refunded).
 */

export const JOB_STATUSES = ['CREATED', 'QUEUED', 'ESCROWED', 'ASSIGNED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'PAYMENT_RELEASED', 'REFUNDED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Machines that may fail a job before it fails for good (the issue: "the retry limit (3 machines)"). */
export const MAX_ATTEMPTS = 3;

export interface Lease {
  readonly machineId: string;
  readonly unitId: string;
  /** The fencing token: anything a runner reports must carry the current one. */
  readonly epoch: number;
  readonly expiresAt: number;
}

export interface JobState {
  readonly status: JobStatus;
  /** Bumped by every transition; the persisted update is conditional on it. */
  readonly version: number;
  /** The epoch the next lease gets is leaseEpoch + 1; it never goes back, so a stale lease stays stale. */
  readonly leaseEpoch: number;
  readonly lease: Lease | null;
  /** Machines that failed this job (lost the lease, reported a bad checkpoint, or failed): never offered it again. */
  readonly excludedMachines: readonly string[];
  /** Whether money is locked in the job's escrow (so ending it must settle). */
  readonly escrowed: boolean;
  readonly failureReason: string | null;
}

export type JobEvent =
  | { readonly type: 'approve' }
  | { readonly type: 'escrow_locked' }
  | { readonly type: 'escrow_refused'; readonly reason: string }
  | { readonly type: 'assign'; readonly machineId: string; readonly unitId: string; readonly expiresAt: number }
  | { readonly type: 'start'; readonly epoch: number }
  | { readonly type: 'renew'; readonly epoch: number; readonly expiresAt: number }
  | { readonly type: 'progress'; readonly epoch: number }
  | { readonly type: 'checkpoint_verified'; readonly epoch: number; readonly step: number }
  | { readonly type: 'checkpoint_invalid'; readonly epoch: number }
  | { readonly type: 'lease_expired'; readonly epoch: number }
  | { readonly type: 'hand_back'; readonly epoch: number }
  | { readonly type: 'fail'; readonly epoch: number; readonly reason: string }
  | { readonly type: 'complete'; readonly epoch: number }
  | { readonly type: 'cancel' }
  | { readonly type: 'admin_cancel'; readonly reason: string }
  | { readonly type: 'admin_requeue'; readonly reason: string }
  | { readonly type: 'admin_invalidate'; readonly reason: string }
  | { readonly type: 'settled' };

export type JobEventType = JobEvent['type'];
export const JOB_EVENT_TYPES: readonly JobEventType[] = [
  'approve', 'escrow_locked', 'escrow_refused', 'assign', 'start', 'renew', 'progress', 'checkpoint_verified',
  'checkpoint_invalid', 'lease_expired', 'hand_back', 'fail', 'complete', 'cancel', 'admin_cancel', 'admin_requeue',
  'admin_invalidate', 'settled',
];

/** What the caller must do besides saving the job: every money movement goes through the ledger. */
export type JobEffect =
  | { readonly type: 'lock_escrow' }
  /** The checkpoint's step decides the share (effects.ts): a re-run of the effect pays the same figure under the same key. */
  | { readonly type: 'release_checkpoint_share'; readonly machineId: string; readonly step: number }
  /** byAdmin: an administrator's admin_invalidate asked for it (audited as that action; automatic slashes are audited by effects.ts). */
  | { readonly type: 'slash'; readonly machineId: string; readonly reason: 'timeout' | 'invalid_result'; readonly byAdmin?: true }
  | { readonly type: 'record_result'; readonly machineId: string; readonly success: boolean }
  | { readonly type: 'free_unit'; readonly machineId: string; readonly unitId: string }
  | { readonly type: 'release_rest' }
  | { readonly type: 'refund_rest' };

export type JobRefusalCode = 'INVALID_TRANSITION' | 'STALE_LEASE_EPOCH' | 'MACHINE_EXCLUDED';
export type TransitionResult = { readonly ok: true; readonly job: JobState; readonly effects: readonly JobEffect[] } | { readonly ok: false; readonly code: JobRefusalCode; readonly message: string };

export function newJob(): JobState {
  return { status: 'CREATED', version: 0, leaseEpoch: 0, lease: null, excludedMachines: [], escrowed: false, failureReason: null };
}

/** Jobs that hold (or are locking) money and have not ended: a cancel refunds them. */
const LIVE: readonly JobStatus[] = ['QUEUED', 'ESCROWED', 'ASSIGNED', 'RUNNING'];

const refuse = (code: JobRefusalCode, message: string): TransitionResult => ({ ok: false, code, message });
const invalid = (job: JobState, event: JobEvent) => refuse('INVALID_TRANSITION', `A ${job.status} job cannot take "${event.type}".`);

function next(job: JobState, changes: Partial<JobState>, effects: JobEffect[] = []): TransitionResult {
  return { ok: true, job: { ...job, ...changes, version: job.version + 1 }, effects };
}

/** The machine lost or failed the job: it is excluded, and the job goes back to the queue or fails for good. */
function machineFailed(job: JobState, lease: Lease, reason: string, effects: JobEffect[]): TransitionResult {
  const excludedMachines = job.excludedMachines.includes(lease.machineId) ? job.excludedMachines : [...job.excludedMachines, lease.machineId];
  const all: JobEffect[] = [...effects, { type: 'record_result', machineId: lease.machineId, success: false }, { type: 'free_unit', machineId: lease.machineId, unitId: lease.unitId }];
  if (excludedMachines.length >= MAX_ATTEMPTS) {
    return next(job, { status: 'FAILED', lease: null, excludedMachines, failureReason: `${reason}; ${MAX_ATTEMPTS} machines failed this job` }, all);
  }
  return next(job, { status: 'ESCROWED', lease: null, excludedMachines }, all);
}

export function transition(job: JobState, event: JobEvent): TransitionResult {
  const leased = job.status === 'ASSIGNED' || job.status === 'RUNNING';
  // Whatever a runner reports must carry the current lease's epoch: a machine that comes back late is refused.
  if ('epoch' in event) {
    if (!leased || !job.lease) return invalid(job, event);
    if (event.epoch !== job.lease.epoch) return refuse('STALE_LEASE_EPOCH', `Lease epoch ${event.epoch} is stale; the job is on epoch ${job.lease.epoch}.`);
  }
  const lease = job.lease;
  switch (event.type) {
    case 'approve':
      return job.status === 'CREATED' ? next(job, { status: 'QUEUED' }, [{ type: 'lock_escrow' }]) : invalid(job, event);
    case 'escrow_locked':
      return job.status === 'QUEUED' ? next(job, { status: 'ESCROWED', escrowed: true }) : invalid(job, event);
    case 'escrow_refused':
      return job.status === 'QUEUED' ? next(job, { status: 'CANCELLED', failureReason: event.reason }) : invalid(job, event);
    case 'assign':
      if (job.status !== 'ESCROWED') return invalid(job, event);
      if (job.excludedMachines.includes(event.machineId)) return refuse('MACHINE_EXCLUDED', `Machine ${event.machineId} failed this job before; it is not offered it again.`);
      return next(job, { status: 'ASSIGNED', leaseEpoch: job.leaseEpoch + 1, lease: { machineId: event.machineId, unitId: event.unitId, epoch: job.leaseEpoch + 1, expiresAt: event.expiresAt } });
    case 'start':
      return job.status === 'ASSIGNED' ? next(job, { status: 'RUNNING' }) : invalid(job, event);
    case 'renew':
      return next(job, { lease: { ...lease!, expiresAt: Math.max(lease!.expiresAt, event.expiresAt) } });
    case 'progress':
      return job.status === 'RUNNING' ? next(job, {}) : invalid(job, event);
    case 'checkpoint_verified':
      return job.status === 'RUNNING' ? next(job, {}, [{ type: 'release_checkpoint_share', machineId: lease!.machineId, step: event.step }]) : invalid(job, event);
    case 'checkpoint_invalid':
      return job.status === 'RUNNING' ? machineFailed(job, lease!, 'a checkpoint did not verify', [{ type: 'slash', machineId: lease!.machineId, reason: 'invalid_result' }]) : invalid(job, event);
    case 'lease_expired':
      return machineFailed(job, lease!, 'the lease expired', [{ type: 'slash', machineId: lease!.machineId, reason: 'timeout' }]);
    case 'hand_back':
      // A runner stopping cleanly (SIGINT after its checkpoint) is not a failure: no slash, not excluded.
      return next(job, { status: 'ESCROWED', lease: null }, [{ type: 'free_unit', machineId: lease!.machineId, unitId: lease!.unitId }]);
    case 'fail':
      return machineFailed(job, lease!, event.reason, []);
    case 'complete':
      return job.status === 'RUNNING'
        ? next(job, { status: 'COMPLETED', lease: null }, [{ type: 'record_result', machineId: lease!.machineId, success: true }, { type: 'free_unit', machineId: lease!.machineId, unitId: lease!.unitId }, { type: 'release_rest' }])
        : invalid(job, event);
    case 'cancel': {
      if (job.status === 'CREATED') return next(job, { status: 'CANCELLED', failureReason: 'cancelled before it was approved' });
      if (!LIVE.includes(job.status)) return invalid(job, event);
      const effects: JobEffect[] = lease ? [{ type: 'free_unit', machineId: lease.machineId, unitId: lease.unitId }] : [];
      // A QUEUED job's escrow may be locking right now: cancelling still refunds whatever landed.
      return next(job, { status: 'CANCELLED', lease: null, failureReason: 'cancelled by its owner' }, [...effects, { type: 'refund_rest' }]);
    }
    case 'admin_cancel': {
      if (!LIVE.includes(job.status)) return invalid(job, event);
      const effects: JobEffect[] = lease ? [{ type: 'free_unit', machineId: lease.machineId, unitId: lease.unitId }] : [];
      return next(job, { status: 'CANCELLED', lease: null, failureReason: `cancelled by an administrator: ${event.reason}` }, [...effects, { type: 'refund_rest' }]);
    }
    case 'admin_requeue':
      // Like a hand-back: the next machine resumes from the last verified checkpoint; this one is not blamed.
      if (!leased || !lease) return invalid(job, event);
      return next(job, { status: 'ESCROWED', lease: null }, [{ type: 'free_unit', machineId: lease.machineId, unitId: lease.unitId }]);
    case 'admin_invalidate': {
      if (!leased || !lease) return invalid(job, event);
      const excludedMachines = job.excludedMachines.includes(lease.machineId) ? job.excludedMachines : [...job.excludedMachines, lease.machineId];
      return next(job, { status: 'FAILED', lease: null, excludedMachines, failureReason: `results marked invalid by an administrator: ${event.reason}` }, [
        { type: 'slash', machineId: lease.machineId, reason: 'invalid_result', byAdmin: true },
        { type: 'record_result', machineId: lease.machineId, success: false },
        { type: 'free_unit', machineId: lease.machineId, unitId: lease.unitId },
        { type: 'refund_rest' },
      ]);
    }
    case 'settled':
      if (job.status === 'COMPLETED') return next(job, { status: 'PAYMENT_RELEASED' });
      if ((job.status === 'FAILED' || job.status === 'CANCELLED') && job.escrowed) return next(job, { status: 'REFUNDED' });
      return invalid(job, event);
  }
}

/**
 * Whether the job ended in failure (not by a cancel): FAILED, or REFUNDED after failing. A cancel's
 * failureReason starts with "cancelled" (the owner's, the administrator's, or before approval).
 */
export function endedInFailure(job: Pick<JobState, 'status' | 'failureReason'>): boolean {
  if (job.status === 'FAILED') return true;
  return job.status === 'REFUNDED' && job.failureReason !== null && !job.failureReason.startsWith('cancelled');
}

/** What a FAILED or CANCELLED job still owes: a refund of what is left in its escrow. */
export function needsSettlement(job: JobState): boolean {
  return job.status === 'COMPLETED' || ((job.status === 'FAILED' || job.status === 'CANCELLED') && job.escrowed);
}
