import { describe, expect, it } from 'vitest';
import { endedInFailure, JOB_EVENT_TYPES, JOB_STATUSES, MAX_ATTEMPTS, needsSettlement, newJob, transition, type JobEvent, type JobEventType, type JobState, type JobStatus } from './job-machine';

function apply(job: JobState, ...events: JobEvent[]): JobState {
  for (const event of events) {
    const result = transition(job, event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.message}`);
    job = result.job;
  }
  return job;
}

const assign = (machineId = 'm1'): JobEvent => ({ type: 'assign', machineId, unitId: `${machineId}-gpu0`, expiresAt: 1_000 });

/** One job in each state, reached the way real jobs get there. */
function jobIn(status: JobStatus): JobState {
  const created = newJob();
  const queued = apply(created, { type: 'approve' });
  const escrowed = apply(queued, { type: 'escrow_locked' });
  const assigned = apply(escrowed, assign());
  const running = apply(assigned, { type: 'start', epoch: 1 });
  const completed = apply(running, { type: 'complete', epoch: 1 });
  const failed = [1, 2, 3].reduce((job, n) => apply(job, assign(`m${n}`), { type: 'lease_expired', epoch: n }), escrowed);
  const cancelled = apply(running, { type: 'cancel' });
  const byStatus: Record<JobStatus, JobState> = {
    CREATED: created,
    QUEUED: queued,
    ESCROWED: escrowed,
    ASSIGNED: assigned,
    RUNNING: running,
    COMPLETED: completed,
    FAILED: failed,
    CANCELLED: cancelled,
    PAYMENT_RELEASED: apply(completed, { type: 'settled' }),
    REFUNDED: apply(failed, { type: 'settled' }),
  };
  expect(byStatus[status].status).toBe(status);
  return byStatus[status];
}

/** An event of each type; lease-bound ones carry the job's current epoch (stale ones are tested apart). */
function eventOf(type: JobEventType, job: JobState): JobEvent {
  const epoch = job.lease?.epoch ?? 1;
  switch (type) {
    case 'approve':
    case 'escrow_locked':
    case 'cancel':
    case 'settled':
      return { type };
    case 'escrow_refused':
      return { type, reason: 'INSUFFICIENT_FUNDS' };
    case 'admin_cancel':
    case 'admin_requeue':
    case 'admin_invalidate':
      return { type, reason: 'admin says so' };
    case 'assign':
      return assign('m9');
    case 'renew':
      return { type, epoch, expiresAt: 5_000 };
    case 'fail':
      return { type, epoch, reason: 'out of memory' };
    case 'checkpoint_verified':
      return { type, epoch, step: 1 };
    default:
      return { type, epoch };
  }
}

// The whole table, written out by hand: the state each (state, event) pair leads to, or null for a refusal.
const EXPECTED: Record<JobStatus, Partial<Record<JobEventType, JobStatus>>> = {
  CREATED: { approve: 'QUEUED', cancel: 'CANCELLED' },
  QUEUED: { escrow_locked: 'ESCROWED', escrow_refused: 'CANCELLED', cancel: 'CANCELLED', admin_cancel: 'CANCELLED' },
  ESCROWED: { assign: 'ASSIGNED', cancel: 'CANCELLED', admin_cancel: 'CANCELLED' },
  ASSIGNED: {
    start: 'RUNNING',
    renew: 'ASSIGNED',
    lease_expired: 'ESCROWED',
    hand_back: 'ESCROWED',
    fail: 'ESCROWED',
    cancel: 'CANCELLED',
    admin_cancel: 'CANCELLED',
    admin_requeue: 'ESCROWED',
    admin_invalidate: 'FAILED',
  },
  RUNNING: {
    renew: 'RUNNING',
    progress: 'RUNNING',
    checkpoint_verified: 'RUNNING',
    checkpoint_invalid: 'ESCROWED',
    lease_expired: 'ESCROWED',
    hand_back: 'ESCROWED',
    fail: 'ESCROWED',
    complete: 'COMPLETED',
    cancel: 'CANCELLED',
    admin_cancel: 'CANCELLED',
    admin_requeue: 'ESCROWED',
    admin_invalidate: 'FAILED',
  },
  COMPLETED: { settled: 'PAYMENT_RELEASED' },
  FAILED: { settled: 'REFUNDED' },
  CANCELLED: { settled: 'REFUNDED' },
  PAYMENT_RELEASED: {},
  REFUNDED: {},
};

describe('the job state machine', () => {
  for (const status of JOB_STATUSES) {
    for (const type of JOB_EVENT_TYPES) {
      const expected = EXPECTED[status][type] ?? null;
      it(`${status} + ${type} → ${expected ?? 'refused'}`, () => {
        const job = jobIn(status);
        const result = transition(job, eventOf(type, job));
        if (expected === null) {
          expect(result).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
          return;
        }
        if (!result.ok) throw new Error(result.message);
        expect(result.job.status).toBe(expected);
        expect(result.job.version).toBe(job.version + 1);
      });
    }
  }

  it('refuses anything a runner reports with a stale lease epoch, after the job moved to another machine', () => {
    const first = apply(jobIn('ESCROWED'), assign('m1'), { type: 'start', epoch: 1 }, { type: 'lease_expired', epoch: 1 });
    const second = apply(first, assign('m2'), { type: 'start', epoch: 2 });
    for (const event of [{ type: 'progress', epoch: 1 }, { type: 'complete', epoch: 1 }, { type: 'checkpoint_verified', epoch: 1, step: 1 }, { type: 'renew', epoch: 1, expiresAt: 9 }] as JobEvent[]) {
      expect(transition(second, event)).toMatchObject({ ok: false, code: 'STALE_LEASE_EPOCH' });
    }
    expect(transition(second, { type: 'complete', epoch: 2 })).toMatchObject({ ok: true, job: { status: 'COMPLETED' } });
  });

  it('a machine that lost the job is never offered it again, and the third failure fails the job', () => {
    const lost = apply(jobIn('ESCROWED'), assign('m1'), { type: 'lease_expired', epoch: 1 });
    expect(lost.excludedMachines).toEqual(['m1']);
    expect(transition(lost, assign('m1'))).toMatchObject({ ok: false, code: 'MACHINE_EXCLUDED' });
    const twice = apply(lost, assign('m2'), { type: 'start', epoch: 2 }, { type: 'checkpoint_invalid', epoch: 2 });
    expect(twice).toMatchObject({ status: 'ESCROWED', excludedMachines: ['m1', 'm2'] });
    const result = transition(apply(twice, assign('m3'), { type: 'start', epoch: 3 }), { type: 'fail', epoch: 3, reason: 'out of memory' });
    expect(result).toMatchObject({ ok: true, job: { status: 'FAILED', failureReason: expect.stringContaining(`${MAX_ATTEMPTS} machines failed`) } });
  });

  it('says which money moves: slash on timeout and on an invalid checkpoint, a share per verified checkpoint, the rest on completion, refunds on cancel', () => {
    const running = jobIn('RUNNING');
    const effects = (event: JobEvent) => {
      const result = transition(running, event);
      return result.ok ? result.effects.map((e) => e.type + ('reason' in e ? `:${e.reason}` : '')) : result.code;
    };
    expect(effects({ type: 'lease_expired', epoch: 1 })).toEqual(['slash:timeout', 'record_result', 'free_unit']);
    expect(effects({ type: 'checkpoint_invalid', epoch: 1 })).toEqual(['slash:invalid_result', 'record_result', 'free_unit']);
    expect(effects({ type: 'checkpoint_verified', epoch: 1, step: 1 })).toEqual(['release_checkpoint_share']);
    expect(effects({ type: 'complete', epoch: 1 })).toEqual(['record_result', 'free_unit', 'release_rest']);
    expect(effects({ type: 'hand_back', epoch: 1 })).toEqual(['free_unit']);
    expect(effects({ type: 'cancel' })).toEqual(['free_unit', 'refund_rest']);
    expect(transition(jobIn('CREATED'), { type: 'approve' })).toMatchObject({ ok: true, effects: [{ type: 'lock_escrow' }] });
  });

  it('a job refused at escrow never held money, so it needs no settlement; the others settle once', () => {
    const refused = apply(jobIn('QUEUED'), { type: 'escrow_refused', reason: 'INSUFFICIENT_FUNDS' });
    expect(refused).toMatchObject({ status: 'CANCELLED', escrowed: false });
    expect(needsSettlement(refused)).toBe(false);
    expect(transition(refused, { type: 'settled' })).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' });
    for (const status of ['COMPLETED', 'FAILED', 'CANCELLED'] as const) expect(needsSettlement(jobIn(status))).toBe(true);
    for (const status of ['PAYMENT_RELEASED', 'REFUNDED', 'RUNNING'] as const) expect(needsSettlement(jobIn(status))).toBe(false);
  });

  it('admin requeue frees the unit without blaming the machine: not excluded, not slashed, a new epoch next time', () => {
    const running = jobIn('RUNNING');
    const result = transition(running, { type: 'admin_requeue', reason: 'stuck for an hour' });
    if (!result.ok) throw new Error(result.message);
    expect(result.job).toMatchObject({ status: 'ESCROWED', lease: null, excludedMachines: [], failureReason: null });
    expect(result.effects).toEqual([{ type: 'free_unit', machineId: 'm1', unitId: 'm1-gpu0' }]);
    // The same machine may take it again, on a fresh epoch, so its old reports are stale.
    const again = apply(result.job, assign('m1'));
    expect(again.lease?.epoch).toBe(2);
    expect(transition(again, { type: 'progress', epoch: 1 })).toMatchObject({ ok: false, code: 'STALE_LEASE_EPOCH' });
  });

  it('admin invalidate slashes the leased machine for an invalid result, fails the job and refunds the rest', () => {
    const result = transition(jobIn('RUNNING'), { type: 'admin_invalidate', reason: 'faked accuracy' });
    if (!result.ok) throw new Error(result.message);
    expect(result.job).toMatchObject({ status: 'FAILED', lease: null, excludedMachines: ['m1'], failureReason: 'results marked invalid by an administrator: faked accuracy' });
    expect(result.effects).toEqual([
      { type: 'slash', machineId: 'm1', reason: 'invalid_result', byAdmin: true },
      { type: 'record_result', machineId: 'm1', success: false },
      { type: 'free_unit', machineId: 'm1', unitId: 'm1-gpu0' },
      { type: 'refund_rest' },
    ]);
    expect(needsSettlement(result.job)).toBe(true);
    expect(endedInFailure(apply(result.job, { type: 'settled' }))).toBe(true);
  });

  it('admin cancel refunds the rest with the reason kept, and only a cancel-ended job is not a failure', () => {
    const result = transition(jobIn('RUNNING'), { type: 'admin_cancel', reason: 'owner asked support' });
    if (!result.ok) throw new Error(result.message);
    expect(result.job).toMatchObject({ status: 'CANCELLED', failureReason: 'cancelled by an administrator: owner asked support' });
    expect(result.effects.map((e) => e.type)).toEqual(['free_unit', 'refund_rest']);
    expect(endedInFailure(apply(result.job, { type: 'settled' }))).toBe(false);
    expect(endedInFailure(apply(jobIn('CANCELLED'), { type: 'settled' }))).toBe(false);
    expect(endedInFailure(jobIn('REFUNDED'))).toBe(true);
    expect(endedInFailure(jobIn('FAILED'))).toBe(true);
    expect(endedInFailure(jobIn('PAYMENT_RELEASED'))).toBe(false);
  });
});
